"""marshmallow schemas of the HTTP API; the OpenAPI document is generated from them."""
