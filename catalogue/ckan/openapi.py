"""The OpenAPI 3.1 description of what `catalogue serve` answers: the CKAN actions and the DCAT feeds."""

from __future__ import annotations

from typing import Any

# action -> (summary, [(parameter, type, description)]); a type is integer, boolean, string or list (of strings:
# a JSON list in the query string, a list or that JSON text in a body). The server checks every parameter
# given against its type here before the action runs (catalogue/ckan/api.py), so this table is the contract.
ACTIONS: dict[str, tuple[str, list[tuple[str, str, str]]]] = {
    "status_show": ("Site title, URL, CKAN version and extensions.", []),
    "site_read": ("Always true: the catalogue can be read.", []),
    "package_list": (
        "Names of every dataset, in name order.",
        [("limit", "integer", "How many names (default all)."), ("offset", "integer", "How many to skip.")],
    ),
    "package_show": (
        "One dataset as a CKAN package dict with ckanext-dcat's DCAT-AP fields.",
        [("id", "string", "The dataset's name or its UUID.")],
    ),
    "package_search": (
        "Search datasets, ranked by relevance, with facets.",
        [
            ("q", "string", 'Solr query: words, "phrases", field:value, AND/OR/NOT, -, ranges. Default *:*.'),
            (
                "fq",
                "string",
                "Filter query in the same syntax, e.g. organization:home-office or "
                "metadata_modified:[2024-01-01T00:00:00Z TO *].",
            ),
            ("fq_list", "list", "JSON list of further filter queries."),
            ("rows", "integer", "Results per page (default 10, at most 1000; more is capped)."),
            ("start", "integer", "Offset of the first result."),
            (
                "sort",
                "string",
                "score desc, metadata_modified desc (default); or id, name, title, title_string, "
                "metadata_modified, metadata_created with asc or desc.",
            ),
            ("facet", "boolean", "Whether to count facets (default true)."),
            ("facet.field", "list", 'JSON list of fields to count, e.g. ["organization","groups","tags"].'),
            ("facet.limit", "integer", "Values per facet (default 50; negative for all)."),
            ("facet.mincount", "integer", "Smallest count shown (default 1)."),
        ],
    ),
    "current_package_list_with_resources": (
        "Datasets with resources, most recently changed first.",
        [
            ("limit", "integer", "How many."),
            ("offset", "integer", "How many to skip."),
            ("page", "integer", "Page number of size limit (deprecated in CKAN)."),
        ],
    ),
    "resource_show": ("One resource (distribution).", [("id", "string", "The resource UUID.")]),
    "organization_list": (
        "Publishers.",
        [
            ("all_fields", "boolean", "Dicts instead of names (at most 25)."),
            ("sort", "string", "title asc (default), name or package_count"),
            ("limit", "integer", "How many."),
            ("offset", "integer", "How many to skip."),
            ("organizations", "list", "JSON list of names to keep."),
            ("include_dataset_count", "boolean", "Include package_count (default true)."),
        ],
    ),
    "organization_show": (
        "One publisher.",
        [("id", "string", "Name or UUID."), ("include_datasets", "boolean", "Include up to 10 datasets.")],
    ),
    "group_list": (
        "Themes.",
        [
            ("all_fields", "boolean", "Dicts instead of names."),
            ("sort", "string", "title asc (default), name or package_count"),
            ("limit", "integer", "How many."),
            ("offset", "integer", "How many to skip."),
            ("groups", "list", "JSON list of names to keep."),
        ],
    ),
    "group_show": (
        "One theme.",
        [("id", "string", "Name or UUID."), ("include_datasets", "boolean", "Include up to 10 datasets.")],
    ),
    "tag_list": (
        "Keywords.",
        [("query", "string", "Only tags containing this text."), ("all_fields", "boolean", "Dicts instead of names.")],
    ),
    "license_list": ("The licences datasets use.", []),
    "help_show": (
        "What an action does and the parameters it takes, as text (every answer's `help` link points here).",
        [("name", "string", "The action, e.g. package_search.")],
    ),
}

# What the server answers, as it answers it (schemathesis checks each answer against these shapes in CI).
_SUCCESS = {
    "type": "object",
    "required": ["help", "success", "result"],
    "properties": {"help": {"type": "string"}, "success": {"const": True}, "result": {}},
}
_ERROR = {
    "type": "object",
    "required": ["help", "success", "error"],
    "properties": {
        "help": {"type": "string"},
        "success": {"const": False},
        "error": {
            "type": "object",
            "required": ["__type"],
            "properties": {"__type": {"type": "string"}, "message": {"type": "string"}},
            "additionalProperties": {"type": "array", "items": {"type": "string"}},  # a Validation Error's fields
        },
    },
}
# CKAN's own API view answers a request it cannot read with a bare JSON string, not the envelope.
_BARE = {"type": "string", "description": "What was wrong, e.g. Bad request - JSON Error: ..."}
_ERRORS: dict[str, tuple[str, dict[str, Any]]] = {
    "400": (
        "Search Query Error (unparseable query) in the envelope; or, as a bare JSON string as CKAN sends it, "
        "an unknown action, or a body that is not a JSON object",
        {"oneOf": [_ERROR, _BARE]},
    ),
    "403": ("Authorization Error: every write action (this registry is read-only)", _ERROR),
    "404": ("Not Found Error", _ERROR),
    "409": ("Validation Error (a bad parameter, e.g. rows=abc) or Search Error (e.g. an unknown sort field)", _ERROR),
}
_TOO_LARGE = {
    "413": {
        "description": "A body over 1 MB, as a bare JSON string",
        "content": {"application/json": {"schema": _BARE}},
    }
}
_TEXT = {"content": {"text/plain": {"schema": {"type": "string"}}}}
_STRINGS = {"type": "array", "items": {"type": "string"}}
# In a body a value may also be given as the query string would give it ("10", "true"), as CKAN reads it.
_BODY_TYPES: dict[str, dict[str, Any]] = {
    "integer": {"anyOf": [{"type": ["integer", "null"]}, {"type": "string", "pattern": "^([+-]?[0-9]+)?$"}]},
    "boolean": {
        "anyOf": [
            {"type": ["boolean", "null"]},
            {
                "type": "string",
                "pattern": "^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|1|0|[Yy][Ee][Ss]|[Nn][Oo]|[Oo][Nn]|[Oo][Ff][Ff])?$",
            },
        ]
    },
    "string": {"type": ["string", "null"]},
    "list": {"anyOf": [_STRINGS, {"type": ["string", "null"], "contentMediaType": "application/json"}]},
}


# GET /api/compare (catalogue/compare/http.py, served beside the Action API): can two figures be compared.
_SIDE = (
    "ID[:PERIOD[:BREAKDOWN]]: a dataset id; a year (2023), a quarter (2023-Q1) or a month (2023-04); a breakdown "
    "dimension (exploitation-type, decision, age ...). Give one id at two periods to compare a source with itself."
)
_CITED: dict[str, Any] = {
    "type": "object",
    "required": ["record", "field", "sources"],
    "properties": {
        "record": {"type": "string"},
        "field": {"type": "string", "description": "Field path in the record, e.g. caveats[3]."},
        "sources": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["key", "title", "url"],
                "properties": {"key": {"type": "string"}, "title": {"type": "string"}, "url": {"type": "string"}},
            },
        },
    },
}
_COMPARISON: dict[str, Any] = {
    "type": "object",
    "required": ["a", "b", "verdict", "summary", "reasons"],
    "properties": {
        "a": {"type": "object"},
        "b": {"type": "object"},
        "verdict": {"enum": ["comparable", "comparable with care", "not comparable"]},
        "summary": {"type": "string"},
        "reasons": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["effect", "topic", "text", "date", "cited"],
                "properties": {
                    "effect": {"enum": ["not comparable", "with care", "not known", "comparable", "context"]},
                    "topic": {"type": "string"},
                    "text": {"type": "string"},
                    "date": {"type": ["string", "null"]},
                    "cited": {"type": "array", "minItems": 1, "items": _CITED},
                },
            },
        },
    },
}
COMPARE_PATH: dict[str, Any] = {
    "get": {
        "summary": "Can two figures be compared? A verdict (comparable, comparable with care, not comparable) with "
        "every reason cited to the record, field and sources it comes from; 'not known' where the records are silent.",
        "operationId": "compare",
        "parameters": [
            {
                "name": name,
                "in": "query",
                "required": True,
                "schema": {"type": "string", "maxLength": 200},
                "description": _SIDE,
            }
            for name in ("a", "b")
        ],
        "responses": {
            "200": {
                "description": "CKAN envelope {help, success: true, result}",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["help", "success", "result"],
                            "properties": {
                                "help": {"type": "string"},
                                "success": {"const": True},
                                "result": _COMPARISON,
                            },
                        }
                    }
                },
            },
            "400": {"description": "A query string over 8 KB", "content": {"application/json": {"schema": _ERROR}}},
            "409": {
                "description": "Validation Error: a side missing, given twice, too long, or naming no known dataset, "
                "period or breakdown (each side's message under its name, with a suggestion)",
                "content": {"application/json": {"schema": _ERROR}},
            },
        },
    }
}


def _query_parameter(name: str, kind: str, text: str) -> dict[str, Any]:
    """One query parameter; an empty value is a parameter not given (CKAN's `ignore_missing`)."""
    parameter: dict[str, Any] = {"name": name, "in": "query", "required": name == "id", "description": text}
    if kind == "list":
        parameter["content"] = {"application/json": {"schema": _STRINGS}}
    else:
        parameter["schema"] = {"type": kind}
    if name != "id":
        parameter["allowEmptyValue"] = True
    return parameter


def _responses() -> dict[str, Any]:
    responses: dict[str, Any] = {
        "200": {
            "description": "CKAN envelope {help, success: true, result}",
            "content": {"application/json": {"schema": _SUCCESS}},
        }
    }
    for code, (text, schema) in _ERRORS.items():
        responses[code] = {"description": text, "content": {"application/json": {"schema": schema}}}
    return responses


def _action_paths(action: str, summary: str, params: list[tuple[str, str, str]]) -> dict[str, Any]:
    """GET reads the query string; POST reads only the JSON body (as ckanapi sends it), where a null
    is a parameter not given, as CKAN's `ignore_missing` validators read it."""
    parameters = [_query_parameter(name, kind, text) for name, kind, text in params]
    body_schema = {
        "type": "object",
        "properties": {name: {**_BODY_TYPES[kind], "description": text} for name, kind, text in params},
    }
    body = {"content": {"application/json": {"schema": body_schema}}}
    return {
        "get": {"summary": summary, "operationId": action, "parameters": parameters, "responses": _responses()},
        "post": {
            "summary": summary,
            "operationId": f"{action}_post",
            "requestBody": body,
            "responses": _responses() | _TOO_LARGE,
        },
    }


def openapi_document(title: str, description: str) -> dict[str, Any]:
    """Return the OpenAPI document for the API and feeds."""
    paths: dict[str, Any] = {
        f"/api/3/action/{action}": _action_paths(action, summary, params)
        for action, (summary, params) in ACTIONS.items()
    }
    rdf: dict[str, Any] = {
        "content": {media: {} for media in ("text/turtle", "application/ld+json", "application/rdf+xml")}
    }
    paths["/catalog.{format}"] = {
        "get": {
            "summary": "The catalogue as DCAT-AP 3, 100 datasets a page, with a hydra:PagedCollection node.",
            "operationId": "catalog",
            "parameters": [
                {"name": "format", "in": "path", "required": True, "schema": {"enum": ["ttl", "jsonld", "rdf"]}},
                # at most nine digits: a page past the last is an empty page, a longer number a 400
                {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 999_999_999}},
                {
                    "name": "modified_since",
                    "in": "query",
                    "schema": {"type": "string", "format": "date"},
                    "description": "Only records changed since this ISO 8601 date (2024-01-31) or date and time "
                    "(2024-01-31T10:00:00Z; no zone is UTC).",
                },
            ],
            "responses": {
                "200": {"description": "DCAT", **rdf},
                "400": {"description": "Bad page or date", **_TEXT},
                "404": {"description": "Unknown format", **_TEXT},
            },
        }
    }
    paths["/dataset/{id}.{format}"] = {
        "get": {
            "summary": "One dataset as DCAT-AP 3.",
            "operationId": "dataset",
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                {"name": "format", "in": "path", "required": True, "schema": {"enum": ["ttl", "jsonld", "rdf"]}},
            ],
            "responses": {"200": {"description": "DCAT", **rdf}, "404": {"description": "No such dataset", **_TEXT}},
        }
    }
    paths["/api/compare"] = COMPARE_PATH
    return {
        "openapi": "3.1.0",
        "info": {"title": f"{title}: CKAN Action API and DCAT feeds", "version": "2.11", "description": description},
        "paths": paths,
    }
