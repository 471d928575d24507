"""API authentication: a personal token (`Authorization: Bearer …`) or the browser session."""

from ninja.security import HttpBearer, django_auth

from .services import api_token_authenticate


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


api_auth = [BearerToken(), django_auth]
