"""Image and audio CAPTCHA: single-use challenges whose answers stay on the server."""
