"""The OpenAPI description, generated from the routes (apispec): each view declares its
operation with `@operation(...)`, and /api/v1/openapi.json walks the URL map."""

import re

from apispec import APISpec

ID = {"type": "integer"}
TEXT = {"type": "string"}
NULLABLE_TEXT = {"type": "string", "nullable": True}
BOOL = {"type": "boolean"}

PARAMETERS = {
    "slug": ("path", TEXT, "The programme's web address (slug)."),
    "innovation_id": ("path", ID, "An innovation's id."),
    "catalogue_id": ("path", ID, "A published innovation's id."),
    "cursor": ("query", TEXT, "The next_cursor of the previous page."),
    "limit": (
        "query",
        {"type": "integer", "minimum": 1, "maximum": 100, "default": 50},
        "Page size.",
    ),
    "stage": (
        "query",
        {"type": "string", "enum": ["creation", "development", "institutionalisation"]},
        "Only this stage.",
    ),
    "state": (
        "query",
        {
            "type": "string",
            "enum": ["active", "on_hold", "dropped", "institutionalised"],
            "default": "active",
        },
        "As on the board.",
    ),
    "region": ("query", ID, "A region's id."),
    "agency": ("query", ID, "An agency's id."),
    "mentor": ("query", ID, "Innovations this mentor is assigned to."),
    "owner": ("query", ID, "Innovations this person owns."),
    "mine": ("query", BOOL, "Only yours (owner, team or mentor)."),
    "overdue": ("query", BOOL, "Only those with an overdue milestone."),
    "q": ("query", TEXT, "Search words."),
    "category": (
        "query",
        {"type": "string", "enum": ["public_service", "governance", "other"]},
        "Category.",
    ),
    "spm": ("query", TEXT, "An SPM (minimum service) sector, once innovations have one."),
    "digital": ("query", {"type": "string", "enum": ["1", "0"]}, "1 digital, 0 non-digital."),
}

MILESTONE = {
    "type": "object",
    "properties": {
        "id": ID,
        "stage": TEXT,
        "title": TEXT,
        "due_date": {"type": "string", "format": "date", "nullable": True},
        "progress": {"type": "integer", "minimum": 0, "maximum": 100},
        "done": BOOL,
        "required": BOOL,
    },
}
SCHEMAS = {
    "Error": {"type": "object", "properties": {"error": TEXT}, "required": ["error"]},
    "Programme": {
        "type": "object",
        "properties": {
            "slug": TEXT,
            "name": TEXT,
            "cohort_year": {"type": "integer", "nullable": True},
            "timezone": TEXT,
            "archived": BOOL,
            "your_role": {"type": "string", "enum": ["coordinator", "innovator", "mentor"]},
            "innovations_url": TEXT,
        },
    },
    "Milestone": MILESTONE,
    "Innovation": {
        "type": "object",
        "properties": {
            "id": ID,
            "title": TEXT,
            "summary": TEXT,
            "problem": TEXT,
            "results": TEXT,
            "stage": TEXT,
            "state": TEXT,
            "is_proposal": BOOL,
            "category": TEXT,
            "is_digital": BOOL,
            "agency": {
                "type": "object",
                "nullable": True,
                "properties": {"id": ID, "name": TEXT, "region": TEXT},
            },
            "replicates_id": {"type": "integer", "nullable": True},
            "in_catalogue": BOOL,
            "milestones": {"type": "array", "items": {"$ref": "#/components/schemas/Milestone"}},
        },
    },
    "CatalogueEntry": {
        "type": "object",
        "properties": {
            "id": ID,
            "title": TEXT,
            "summary": TEXT,
            "problem": TEXT,
            "results": TEXT,
            "stage": TEXT,
            "state": TEXT,
            "category": TEXT,
            "is_digital": BOOL,
            "agency": NULLABLE_TEXT,
            "region": NULLABLE_TEXT,
            "replications": {"type": "integer"},
            "url": TEXT,
            "documents": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"title": TEXT, "kind": TEXT, "content_type": TEXT, "url": TEXT},
                },
            },
        },
    },
}
for name in ("Programme", "Innovation", "CatalogueEntry"):
    SCHEMAS[f"{name}Page"] = {
        "type": "object",
        "properties": {
            "data": {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}},
            "next_cursor": NULLABLE_TEXT,
        },
    }


def operation(summary: str, *, schema: str, params=(), token: bool):
    """Declare a route's OpenAPI operation (read by build_spec)."""

    def decorate(view):
        view.openapi = {
            "summary": summary,
            "schema": schema,
            "params": list(params),
            "token": token,
        }
        return view

    return decorate


def _path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def build_spec(app) -> dict:
    spec = APISpec(
        title="Incubator API",
        version="1",
        openapi_version="3.0.3",
        info={
            "description": "Read-only. Send a personal token (made in your account settings) "
            "as `Authorization: Bearer <token>`; the catalogue needs none."
        },
        servers=[{"url": app.config["BASE_URL"]}],
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for name, schema in SCHEMAS.items():
        spec.components.schema(name, schema)
    rules = sorted(app.url_map.iter_rules(), key=lambda r: r.rule)
    for rule in rules:
        view = app.view_functions.get(rule.endpoint)
        meta = getattr(view, "openapi", None)
        if meta is None:
            continue
        responses = {
            "200": {
                "description": "OK",
                "content": {
                    "application/json": {
                        "schema": {"$ref": f"#/components/schemas/{meta['schema']}"}
                    }
                },
            },
            "400": _error("A parameter is not valid."),
            "404": _error("Not found, or not yours to see."),
        }
        get = {
            "summary": meta["summary"],
            "operationId": rule.endpoint.removeprefix("api."),
            "parameters": [
                {
                    "name": name,
                    "in": PARAMETERS[name][0],
                    "required": PARAMETERS[name][0] == "path",
                    "schema": PARAMETERS[name][1],
                    "description": PARAMETERS[name][2],
                }
                for name in meta["params"]
            ],
            "responses": responses,
        }
        if meta["token"]:
            get["security"] = [{"bearer": []}]
            responses["401"] = _error("No token, or a wrong or revoked one.")
        spec.path(path=_path(rule.rule), operations={"get": get})
    return spec.to_dict()
