"""The read-only CKAN Action API, answering as CKAN 2.11 with ckanext-dcat does.

Envelope `{help, success, result}`; errors `{help, success: false, error: {__type, message}}` with
CKAN's status codes: 409 Validation Error (a bad parameter), 400 Search Query Error, 404 Not Found
Error, 403 Authorization Error (any write action), and a bare JSON string with 400 for an unknown
action or an unreadable body, as `ckan/views/api.py` sends them. Parameters come from the query
string (GET) or a JSON body (POST, as ckanapi sends). Package dicts are serialised once at start-up;
responses are cached, since nothing changes while the server runs.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import orjson

from catalogue.cache import BoundedCache
from catalogue.ckan.openapi import ACTIONS
from catalogue.ckan.packages import license_list
from catalogue.ckan.params import ActionError, boolean, integer, json_list, natural, text, validation
from catalogue.ckan.search import SearchError
from catalogue.ckan.solr_query import QuerySyntaxError
from catalogue.ckan.store import PackageStore

ROWS_MAX = 1000  # ckan.search.rows_max
LIST_MAX = 1000  # ckan.group_and_organization_list_max
LIST_ALL_FIELDS_MAX = 25  # ckan.group_and_organization_list_all_fields_max
JSON_TYPE = "application/json;charset=utf-8"
MAX_BODY = 1024 * 1024
CACHE_BYTES = 32 * 1024 * 1024  # keeps the server under 500 MB at 10,000 datasets
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
_WRITE_ACTION = re.compile(
    r"^[a-z_]+_(create|update|patch|delete|purge|revise|reorder|invite|clear|upsert|"
    r"follow|unfollow|make_private|make_public)$|^bulk_update_"
)


class ActionApi:
    """Dispatch `/api/3/action/<name>` to the read actions."""

    def __init__(self, build: Path) -> None:
        self.data = PackageStore(build)
        self.actions: dict[str, Callable[[dict[str, Any], str], Any]] = {
            "status_show": self.status_show,
            "site_read": lambda params, site: True,
            "package_list": self.package_list,
            "package_show": self.package_show,
            "package_search": self.package_search,
            "current_package_list_with_resources": self.current_package_list_with_resources,
            "resource_show": self.resource_show,
            "organization_list": self.organization_list,
            "organization_show": self.organization_show,
            "group_list": self.group_list,
            "group_show": self.group_show,
            "tag_list": self.tag_list,
            "license_list": lambda params, site: license_list(),
            "help_show": self.help_show,
        }
        self.cache: BoundedCache[tuple[int, bytes]] = BoundedCache(CACHE_BYTES)

    def respond(self, action: str, query: bytes, body: bytes, scheme: str, host: bytes) -> tuple[int, bytes]:
        """Return (status, body), from the cache when the same request was answered before."""
        key = (action, query, body, scheme, host)
        found = self.cache.get(key)
        if found is None:
            found = self._respond(action, query, body, scheme, host)
            self.cache.put(key, found, len(found[1]))
        return found

    # HTTP: a bare ASGI handler, since at thousands of requests a second a framework's
    # per-request layers cost more than the work itself ----------------------------------------------

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        method = scope["method"]
        action = scope["path"].rstrip("/").rsplit("/", 1)[-1]
        if method == "OPTIONS":
            await _send(
                send,
                204,
                b"",
                extra=[
                    (b"access-control-allow-methods", b"GET, POST"),
                    (b"access-control-allow-headers", b"Content-Type, Authorization"),
                ],
            )
            return
        if method not in ("GET", "HEAD", "POST"):
            allow = [(b"allow", b"GET, HEAD, POST, OPTIONS")]
            await _send(send, 405, orjson.dumps(f"Bad request - method {method} not allowed"), extra=allow)
            return
        body = b""
        if method == "POST":
            more = True
            while more:
                message = await receive()
                body += message.get("body", b"")
                more = message.get("more_body", False)
                if len(body) > MAX_BODY:
                    await _send(send, 413, orjson.dumps("Bad request - request body too large"))
                    return
        host = next((value for key, value in scope["headers"] if key == b"host"), b"127.0.0.1")
        status, payload = self.respond(action, scope["query_string"], body, scope.get("scheme", "http"), host)
        await _send(send, status, b"" if method == "HEAD" else payload)

    def _respond(self, action: str, query: bytes, body: bytes, scheme: str, host: bytes) -> tuple[int, bytes]:
        site = f"{scheme}://{host.decode('latin-1')}"
        params: dict[str, Any] = dict(parse_qsl(query.decode("latin-1"), keep_blank_values=True))
        if body:  # whitespace alone is not JSON either (CKAN answers 400)
            try:
                posted = orjson.loads(body)
            except orjson.JSONDecodeError as exc:
                return 400, orjson.dumps(f"Bad request - JSON Error: {exc}")
            if not isinstance(posted, dict):
                return 400, orjson.dumps("Bad request - Request data JSON decoded to a list but a dict is required")
            params.update(posted)
        help_url = f"{site}/api/3/action/help_show?name={action}"
        handler = self.actions.get(action)
        if handler is None:
            if _WRITE_ACTION.search(action):
                return _error(
                    help_url,
                    ActionError(
                        403,
                        "Authorization Error",
                        f"Access denied: this registry is read-only; {action} is not "
                        "available (publish to a CKAN of your own with `catalogue "
                        "publish`)",
                    ),
                )
            return 400, orjson.dumps(f"Bad request - Action name not known: {action}")
        try:
            _check_types(params, ACTIONS[action][1])
            result = handler(params, site)
        except ActionError as exc:
            return _error(help_url, exc)
        if isinstance(result, _Raw):
            return 200, b'{"help":' + orjson.dumps(help_url) + b',"success":true,"result":' + result.body + b"}"
        return 200, orjson.dumps({"help": help_url, "success": True, "result": result})

    # actions ----------------------------------------------------------------------------------------

    def status_show(self, params: dict[str, Any], site: str) -> dict[str, Any]:
        return {
            "site_title": self.data.site_title,
            "site_description": self.data.site_description,
            "site_url": site,
            "error_emails_to": "",
            "locale_default": "en",
            "extensions": ["dcat", "scheming_datasets"],
            "ckan_version": "2.11.6",
        }

    def _page(self, params: dict[str, Any], items: list[Any], default_limit: int | None) -> list[Any]:
        limit = natural(params, "limit", default_limit)
        offset = natural(params, "offset", 0) or 0
        return items[offset:] if limit is None else items[offset : offset + limit]

    def package_list(self, params: dict[str, Any], site: str) -> list[str]:
        return self._page(params, self.data.names, None)

    def _package_position(self, params: dict[str, Any]) -> int:
        key = text(params, "id") or text(params, "name_or_id")
        if not key:
            raise validation("name_or_id", "Missing value")
        position = self.data.by_key.get(key)
        if position is None:
            raise ActionError(404, "Not Found Error", "Not found")
        return position

    def package_show(self, params: dict[str, Any], site: str) -> _Raw:
        return _Raw(self.data.package_bytes[self._package_position(params)])

    def current_package_list_with_resources(self, params: dict[str, Any], site: str) -> _Raw:
        limit = natural(params, "limit", None)
        page = natural(params, "page", None)
        offset = natural(params, "offset", 0) or 0
        if page is not None:
            if page < 1:
                raise validation("page", "Must be larger than 0")
            offset = (page - 1) * (limit or 0)
        positions = (
            self.data.newest_first[offset:] if limit is None else self.data.newest_first[offset : offset + limit]
        )
        return _Raw(b"[" + b",".join(self.data.package_bytes[i] for i in positions) + b"]")

    def resource_show(self, params: dict[str, Any], site: str) -> dict[str, Any]:
        resource_id = text(params, "id")
        if not resource_id:
            raise validation("id", "Missing value")
        found = self.data.resources.get(resource_id)
        if found is None:
            raise ActionError(404, "Not Found Error", "Not found: Resource was not found.")
        position, index = found
        return dict(self.data.package(position)["resources"][index])

    def package_search(self, params: dict[str, Any], site: str) -> _Raw:
        rows = min(natural(params, "rows", 10) or 0, ROWS_MAX) if params.get("rows") not in (None, "") else 10
        start = natural(params, "start", 0) or 0
        sort = text(params, "sort", "score desc, metadata_modified desc") or "score desc, metadata_modified desc"
        want_facets = boolean(params, "facet", True)
        facet_fields = json_list(params, "facet.field") if want_facets else []
        facet_limit = min(integer(params, "facet.limit", 50), 100_000)
        facet_mincount = min(natural(params, "facet.mincount", 1) or 0, 2**31)  # tantivy takes a u64; Solr an int
        fq = " ".join(part for part in [text(params, "fq"), *json_list(params, "fq_list")] if part)
        try:
            hits = self.data.index.search(
                text(params, "q", "*:*") or "*:*",
                fq,
                sort=sort,
                start=start,
                rows=rows,
                facet_fields=facet_fields,
                facet_limit=facet_limit,
                facet_mincount=facet_mincount,
            )
        except QuerySyntaxError as exc:
            raise ActionError(400, "Search Query Error", f"Search Query is invalid: {exc}") from None
        except SearchError as exc:
            raise ActionError(409, "Search Error", f"Search error: {exc}") from None
        except ValueError as exc:  # tantivy refusing a query our grammar let through
            raise ActionError(400, "Search Query Error", f"Search Query is invalid: {exc}") from None
        facets = {field: dict(items) for field, items in hits.facets.items()}
        search_facets = {
            field: {
                "title": field,
                "items": [
                    {"name": name, "display_name": self.data.display_names.get(name, name), "count": count}
                    for name, count in items
                ],
            }
            for field, items in hits.facets.items()
        }
        head = orjson.dumps({"count": hits.count, "facets": facets, "search_facets": search_facets, "sort": sort})
        results = b'"results":[' + b",".join(self.data.package_bytes[i] for i in hits.positions) + b"]"
        return _Raw(head[:-1] + b"," + results + b"}")

    def _list(self, params: dict[str, Any], items: list[dict[str, Any]], names_param: str) -> list[Any]:
        all_fields = boolean(params, "all_fields", False)
        wanted = json_list(params, names_param) if params.get(names_param) else None
        chosen = [item for item in items if wanted is None or item["name"] in wanted]
        sort = text(params, "sort", "title asc") or "title asc"
        field, _, direction = sort.partition(" ")
        if field not in ("title", "name", "package_count"):
            raise validation("sort", f"Cannot sort by field `{field}`")
        chosen.sort(
            key=lambda item: item[field] if field == "package_count" else str(item[field]).lower(),
            reverse=direction.strip().lower() == "desc",
        )
        limit_max = LIST_ALL_FIELDS_MAX if all_fields else LIST_MAX
        limit = min(natural(params, "limit", limit_max) or 0, limit_max) if params.get("limit") else limit_max
        page = self._page({**params, "limit": limit}, chosen, limit_max)
        if not all_fields:
            return [item["name"] for item in page]
        include_count = boolean(params, "include_dataset_count", True)
        return [{key: value for key, value in item.items() if include_count or key != "package_count"} for item in page]

    def organization_list(self, params: dict[str, Any], site: str) -> list[Any]:
        return self._list(params, self.data.organizations, "organizations")

    def group_list(self, params: dict[str, Any], site: str) -> list[Any]:
        return self._list(params, self.data.groups, "groups")

    def _show(self, params: dict[str, Any], items: list[dict[str, Any]], field: str) -> dict[str, Any]:
        key = text(params, "id")
        if not key:
            raise validation("id", "Missing value")
        found = next((item for item in items if key in (item["id"], item["name"])), None)
        if found is None:
            raise ActionError(404, "Not Found Error", "Not found")
        result = dict(found)
        if boolean(params, "include_datasets", False):
            positions = self.data.members.get((field, found["name"]), [])
            limit = min(natural(params, "limit", 10) or 10, ROWS_MAX)
            result["packages"] = [self.data.package(position) for position in positions[:limit]]
        return result

    def organization_show(self, params: dict[str, Any], site: str) -> dict[str, Any]:
        return self._show(params, self.data.organizations, "organization")

    def group_show(self, params: dict[str, Any], site: str) -> dict[str, Any]:
        return self._show(params, self.data.groups, "groups")

    def help_show(self, params: dict[str, Any], site: str) -> str:
        """CKAN answers with the action's docstring; ours is built from the OpenAPI description's words."""
        name = text(params, "name")
        if not name:
            raise validation("name", "Missing value")
        if name not in ACTIONS:
            raise ActionError(404, "Not Found Error", f"Action function not found: {name}")
        summary, parameters = ACTIONS[name]
        lines = [summary, ""] + [f":param {param}: {what} ({kind})" for param, kind, what in parameters]
        return "\n".join(lines).strip() + "\n"

    def tag_list(self, params: dict[str, Any], site: str) -> list[Any]:
        query = text(params, "query").lower()
        ordered = [self.data.tags[name] for name in sorted(self.data.tags) if query in name.lower()]
        return ordered if boolean(params, "all_fields", False) else [tag["name"] for tag in ordered]


_TYPE_CHECKS: dict[str, Callable[[dict[str, Any], str], object]] = {
    "integer": lambda params, name: integer(params, name, 0),
    "boolean": lambda params, name: boolean(params, name, False),
    "string": text,
    "list": json_list,
}


def _check_types(params: dict[str, Any], documented: list[tuple[str, str, str]]) -> None:
    """Refuse (409) any documented parameter given with a value of the wrong type, whether or not the
    action reads it this time (include_dataset_count without all_fields was taken unchecked), as the
    OpenAPI description promises; the actions then check ranges."""
    for name, kind, _ in documented:
        if params.get(name) not in (None, ""):
            _TYPE_CHECKS[kind](params, name)


class _Raw:
    """A result already serialised (package dicts are encoded once, at start-up)."""

    def __init__(self, body: bytes) -> None:
        self.body = body


def _error(help_url: str, exc: ActionError) -> tuple[int, bytes]:
    if exc.kind == "Validation Error":
        error: dict[str, Any] = {**(exc.fields or {}), "__type": exc.kind}
    else:
        error = {"__type": exc.kind, "message": exc.message}
    return exc.status, orjson.dumps({"help": help_url, "error": error, "success": False})


_JSON_HEADER = (b"content-type", JSON_TYPE.encode())
_CORS_HEADER = (b"access-control-allow-origin", b"*")


async def _send(send: Send, status: int, body: bytes, extra: list[tuple[bytes, bytes]] | None = None) -> None:
    headers = [_JSON_HEADER, (b"content-length", str(len(body)).encode()), _CORS_HEADER, *(extra or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


API_PREFIXES = ("/api/3/action/", "/api/action/")
