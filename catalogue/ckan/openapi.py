"""The OpenAPI 3.1 description of what `catalogue serve` answers: the CKAN actions and the DCAT feeds."""

from __future__ import annotations

from typing import Any

# action -> (summary, [(parameter, type, description)])
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
            ("fq_list", "string", "JSON list of further filter queries."),
            ("rows", "integer", "Results per page (default 10, at most 1000; more is capped)."),
            ("start", "integer", "Offset of the first result."),
            (
                "sort",
                "string",
                "score desc, metadata_modified desc (default); or id, name, title, title_string, "
                "metadata_modified, metadata_created with asc or desc.",
            ),
            ("facet", "boolean", "Whether to count facets (default true)."),
            ("facet.field", "string", 'JSON list of fields to count, e.g. ["organization","groups","tags"].'),
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
            ("organizations", "string", "JSON list of names to keep."),
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
            ("groups", "string", "JSON list of names to keep."),
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

_ERROR = {
    "type": "object",
    "properties": {
        "help": {"type": "string"},
        "success": {"const": False},
        "error": {"type": "object", "properties": {"__type": {"type": "string"}, "message": {"type": "string"}}},
    },
}
_ERRORS = {
    "400": "Search Query Error (unparseable query); or, as a bare JSON string, an unknown action or unreadable body",
    "403": "Authorization Error: every write action (this registry is read-only)",
    "404": "Not Found Error",
    "409": "Validation Error (a bad parameter, e.g. rows=abc) or Search Error (e.g. an unknown sort field)",
}


def openapi_document(title: str, description: str) -> dict[str, Any]:
    """Return the OpenAPI document for the API and feeds."""
    paths: dict[str, Any] = {}
    for action, (summary, params) in ACTIONS.items():
        parameters = [
            {"name": name, "in": "query", "required": name == "id", "description": text, "schema": {"type": kind}}
            for name, kind, text in params
        ]
        responses: dict[str, Any] = {
            "200": {
                "description": "CKAN envelope {help, success: true, result}",
                "content": {"application/json": {"schema": {"type": "object"}}},
            }
        }
        responses |= {
            code: {"description": text, "content": {"application/json": {"schema": _ERROR}}}
            for code, text in _ERRORS.items()
        }
        operation = {"summary": summary, "parameters": parameters, "responses": responses}
        body = {
            "content": {
                "application/json": {
                    "schema": {"type": "object", "properties": {name: {"type": kind} for name, kind, _ in params}}
                }
            }
        }
        paths[f"/api/3/action/{action}"] = {
            "get": {**operation, "operationId": action},
            "post": {**operation, "operationId": f"{action}_post", "requestBody": body},
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
                {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                {
                    "name": "modified_since",
                    "in": "query",
                    "schema": {"type": "string"},
                    "description": "ISO 8601 date or time; only records changed since.",
                },
            ],
            "responses": {"200": {"description": "DCAT", **rdf}, "400": {"description": "Bad page or date"}},
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
            "responses": {"200": {"description": "DCAT", **rdf}, "404": {"description": "No such dataset"}},
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": f"{title}: CKAN Action API and DCAT feeds", "version": "2.11", "description": description},
        "paths": paths,
    }
