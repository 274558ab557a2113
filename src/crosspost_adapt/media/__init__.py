"""Images: open safely, orient, strip, sRGB, frame, resize, encode under a budget.

:func:`render_media` makes one image of a post for one platform's
:class:`~crosspost_adapt.rules.MediaRules`; ``adapt`` calls it for every image
(the ``place_media`` step) and puts the results in ``Draft.media``.

An image is made with up to two threads (a large resize split in bands, two
candidate qualities encoded at once): :func:`set_workers` sets how many for the
whole program (1 in each worker of a process pool), ``workers=`` for one call.
"""

from crosspost_adapt.media._render import render_card, render_media
from crosspost_adapt.media._workers import get_workers, set_workers

__all__ = ["get_workers", "render_card", "render_media", "set_workers"]
