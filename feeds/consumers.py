"""The live socket: one per tab at /ws/.

It joins only the audiences its user may read and forwards events published by
socialhub.events. Frames from the client are small JSON commands; anything else gets an
error frame, never a crash.
"""

import json

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from socialhub import events

CLOSE_UNAUTHENTICATED = 4401


class LiveConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            # Accept first so the client sees our close code rather than a failed handshake.
            await self.accept()
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.audiences = [events.user_audience(user.pk), events.COMPANY]
        for audience in self.audiences:
            await self.channel_layer.group_add(audience, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "user": user.pk})

    async def disconnect(self, code):
        for audience in getattr(self, "audiences", []):
            await self.channel_layer.group_discard(audience, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is None:
            await self.send_json({"type": "error", "error": "Send JSON text frames."})
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            await self.send_json({"type": "error", "error": "That frame is not valid JSON."})
            return
        await self.receive_json(content)

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            await self.send_json({"type": "error", "error": "A frame needs a 'type'."})
            return
        if content["type"] == "ping":
            await self.send_json({"type": "pong"})
            return
        await self.send_json(
            {"type": "error", "error": f"Unknown frame type {content['type'][:40]!r}."}
        )

    async def event_forward(self, message):
        await self.send_json(message["event"])
