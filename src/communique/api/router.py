"""The one router of the API's endpoints: an address that reads (GET) and
takes comments (POST) must be one route, so both modules add to this."""

from ninja import Router

router = Router()
