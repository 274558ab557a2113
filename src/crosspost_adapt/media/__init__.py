"""Images: open safely, orient, strip, sRGB, frame, resize, encode under a budget.

:func:`render_media` makes one image of a post for one platform's
:class:`~crosspost_adapt.rules.MediaRules`; ``adapt`` calls it for every image
(the ``place_media`` step) and puts the results in ``Draft.media``.
"""

from crosspost_adapt.media._render import render_card, render_media

__all__ = ["render_card", "render_media"]
