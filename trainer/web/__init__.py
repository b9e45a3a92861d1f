"""The browser mode (`sre-trainer serve`, the [web] extra): the app in a browser tab."""
