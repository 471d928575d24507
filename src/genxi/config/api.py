"""The one NinjaAPI: /api/v1/, OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs."""

from ninja import NinjaAPI
from ninja.errors import ValidationError

from genxi.cases.api import router as cases_router
from genxi.cobuild.api import router as cobuild_router
from genxi.core.api_auth import api_auth
from genxi.core.api_schemas import validation_error_body
from genxi.events.api import router as events_router
from genxi.orgs.api import router as orgs_router
from genxi.people.api import router as people_router
from genxi.regions.api import router as regions_router

api = NinjaAPI(
    title="genxi API",
    version="1",
    description="根系 genxi: grids, pioneers, partner units and residents. Personal data is "
    "always masked. Authenticate with `Authorization: Bearer <token>` "
    "(`genxi token create USERNAME`) or a browser session.",
    auth=api_auth,
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    """422 as the documented ErrorOut: every field's messages, the first one as the detail."""
    return api.create_response(request, validation_error_body(exc.errors), status=422)


api.add_router("/", regions_router)
api.add_router("/", people_router)
api.add_router("/", orgs_router)
api.add_router("/", cases_router)
api.add_router("/cobuild", cobuild_router)
api.add_router("/", events_router)
