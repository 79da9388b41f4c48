"""Files attached to posts: moving a file stored under its uploader's name to a random name."""

import posixpath
import re

from ..models import Attachment


def rename_legacy_attachment_file(*, attachment: Attachment) -> bool:
    """Move a file stored under its uploader's name (before stored names were random) to a
    random name in the same folder; the row keeps the uploader's name in `name`.

    True when moved; False when its name is random already, the file is missing, or the row
    changed meanwhile. Safe to run again and while the site runs: the new copy is written
    first, the row then points at it, the old file goes last. A download that read the row
    just before may get a 404 for the old name: run it in a quiet hour.
    """
    old = attachment.file.name
    folder, base = posixpath.split(old)
    if re.fullmatch(r"[0-9a-f]{32}(\.[a-z0-9]{1,10})?", base) or not folder.startswith(
        "attachments/"
    ):
        return False
    storage = attachment.file.storage
    if not storage.exists(old):
        return False
    upload_to = Attachment._meta.get_field("file").upload_to
    with storage.open(old, "rb") as source:
        new = storage.save(posixpath.join(folder, upload_to.name_for(attachment.name)), source)
    if not Attachment.objects.filter(pk=attachment.pk, file=old).update(file=new):
        storage.delete(new)
        return False
    storage.delete(old)
    attachment.file.name = new
    return True
