"""Extensions of a post's card as pages show it (HTML): a poll, an event. Apps above feeds
register here, so a card shows them while feeds imports none of those apps. (feeds.cards is
the API's cached JSON card; it carries no extension: each has its own endpoints.)

An extension gives:

- `name`: what it is (also the key of its data on the card);
- `load(posts, viewer) -> {post_id: value}`: what it shows on each post that has one, for a
  whole page of posts in a fixed number of queries (never per post); `viewer` may be
  anonymous (the shared live card, feeds/live.py), so the viewer's own part must then be
  empty;
- `template`: the partial included inside the card after the post's text, with `post` and
  `extra` (the value) in its context.

feeds.selectors.decorate_posts calls decorate(): every page card and live card gets
`post.card_extras`, a list of {"name", "template", "value"} in registration order.
The API's post cards stay as they are; each extension has its own endpoints.

An app may also add a link to the composer ("Poll", "Event"): register_compose_link, shown
beside the Post button and opening the app's own form for the same group.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse


@dataclass(frozen=True)
class CardExtension:
    name: str
    template: str
    load: Callable[..., dict]


_EXTENSIONS: dict[str, CardExtension] = {}


def register(*, name: str, template: str, load: Callable[..., dict]) -> None:
    """Called from an app's AppConfig.ready(); registering a name again replaces it."""
    _EXTENSIONS[name] = CardExtension(name=name, template=template, load=load)


def decorate(posts: list, *, viewer) -> list:
    """Set `card_extras` on each post: one `load` call per extension for the whole list."""
    for post in posts:
        post.card_extras = []
    if not posts:
        return posts
    for extension in _EXTENSIONS.values():
        found = extension.load(posts, viewer=viewer)
        for post in posts:
            if post.pk in found:
                value = found[post.pk]
                post.card_extras.append(
                    {"name": extension.name, "template": extension.template, "value": value}
                )
    return posts


_COMPOSE_LINKS: dict[str, tuple[str, str]] = {}


def register_compose_link(*, label: str, url_name: str) -> None:
    """A composer link to `url_name` (a page taking an optional ?group=<slug>)."""
    _COMPOSE_LINKS[url_name] = (label, url_name)


def compose_links(group=None) -> list[dict]:
    """The composer's links for `group` (None: the home composer, where one is chosen)."""
    query = f"?{urlencode({'group': group.slug})}" if group is not None else ""
    return [
        {"label": label, "url": reverse(url_name) + query}
        for label, url_name in _COMPOSE_LINKS.values()
    ]
