"""Shared pieces of the REST API: error shape, OpenAPI error responses, the API's 404."""

from django.http import JsonResponse
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from huitoukan.access.middleware import refusal_remember
from huitoukan.access.policy import Denied, Forbidden
from huitoukan.core.errors import DomainError

NOT_FOUND_MESSAGE = "不存在或不在权限范围内"

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"code": {"type": "string"}, "detail": {"type": "string"}},
    "required": ["detail"],
}


def exception_handler(exc, context):
    """Domain errors answer 400 with their code and Chinese message."""
    if isinstance(exc, DomainError):
        return Response({"code": exc.code.name, "detail": exc.message}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Denied):
        refusal_remember(context["request"], exc)
        return Response({"detail": NOT_FOUND_MESSAGE}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, Forbidden):
        refusal_remember(context["request"], exc)
        return Response({"code": exc.code.name if exc.code is not None else "FORBIDDEN", "detail": exc.message}, status=status.HTTP_403_FORBIDDEN)
    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code == 404:
        response.data = {"detail": NOT_FOUND_MESSAGE}
    return response


def add_error_responses(result, generator, request, public):
    """drf-spectacular documents no 400/401/403/404; every operation can answer them."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Error", ERROR_SCHEMA)
    ref = {"$ref": "#/components/schemas/Error"}
    descriptions = {"400": "请求有误", "401": "未登录", "403": "无权访问", "404": "不存在或不在权限范围内"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, text in descriptions.items():
                if code == "400" and method in {"get", "delete"} and "parameters" not in operation:
                    continue
                responses.setdefault(code, {"description": text, "content": {"application/json": {"schema": ref}}})
    return result


def api_not_found(request, *args, **kwargs):
    return JsonResponse({"detail": NOT_FOUND_MESSAGE}, status=404)
