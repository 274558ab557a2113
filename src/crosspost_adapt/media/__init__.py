"""Images: open safely, orient, strip, sRGB, frame, resize, encode under a budget."""
