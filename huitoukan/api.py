"""Shared pieces of the REST API: error shape, OpenAPI error responses, the API's 404, 400 and 500."""

from typing import ClassVar

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView
from rest_framework import status
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from huitoukan.access.middleware import refusal_remember
from huitoukan.access.policy import Denied, Forbidden
from huitoukan.core.api import invalid_input
from huitoukan.core.errors import DomainError

NOT_FOUND_MESSAGE = "不存在或不在权限范围内"

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"code": {"type": "string"}, "detail": {"type": "string"}},
    "required": ["detail"],
}


def exception_handler(exc, context):
    """Domain errors answer 400 with their code and Chinese message; every other error has a Chinese `detail` too."""
    if isinstance(exc, DomainError):
        return Response({"code": exc.code.name, "detail": exc.message}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Denied):
        refusal_remember(context["request"], exc)
        return Response({"detail": NOT_FOUND_MESSAGE}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, Forbidden):
        refusal_remember(context["request"], exc)
        return Response({"code": exc.code.name if exc.code is not None else "FORBIDDEN", "detail": exc.message}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, ValidationError):  # raised outside core.api.parse: its errors have no `detail` of their own
        exc = invalid_input(exc.detail)
    elif isinstance(exc, ParseError):
        exc = ParseError(_unparsable(exc))
    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code == 404:
        response.data = {"detail": NOT_FOUND_MESSAGE}
    return response


def _unparsable(exc: ParseError) -> str:
    """DRF's parsers say why a body could not be read in English, with the parser's own words."""
    if isinstance(exc.__context__, MultiPartParserError):
        return _("上传的表单无法解析：multipart/form-data 格式有误，或文件名过长；请改短文件名后重新上传。")
    if isinstance(exc.__context__, ValueError):
        return _("请求内容不是有效的 JSON（须为 UTF-8 编码的 JSON 对象）。")
    return str(exc.detail)


def add_error_responses(result, generator, request, public):
    """drf-spectacular documents no 400/401/403/404; every operation can answer them, and one that reads a
    body answers 415 to a body whose media type it does not parse (a multipart header it cannot read)."""
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
            if "requestBody" in operation:
                responses.setdefault("415", {"description": "请求内容的类型不受支持",
                                             "content": {"application/json": {"schema": ref}}})
    return result


# Exempt from CSRF: it writes nothing, and an unsafe method must get this JSON 404 too, not Django's
# HTML page about a missing CSRF token.
@csrf_exempt
def api_not_found(request, *args, **kwargs):
    return JsonResponse({"detail": NOT_FOUND_MESSAGE}, status=404)


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def bad_request(request, exception, *args, **kwargs):
    """Django's 400 (a request it refuses before any view: too large, too many fields or files):
    JSON with a Chinese `detail` under /api/, its usual page elsewhere."""
    if not _is_api(request):
        return defaults.bad_request(request, exception, *args, **kwargs)
    if isinstance(exception, RequestDataTooBig):
        detail = _("请求内容过大。")
    elif isinstance(exception, TooManyFieldsSent):
        detail = _("请求中的字段过多。")
    elif isinstance(exception, TooManyFilesSent):
        detail = _("一次上传的文件过多。")
    else:
        detail = _("请求有误，无法处理。")
    return JsonResponse({"detail": detail}, status=400)


def server_error(request, *args, **kwargs):
    """Django's 500: JSON with a Chinese `detail` under /api/, its usual page elsewhere."""
    if not _is_api(request):
        return defaults.server_error(request, *args, **kwargs)
    return JsonResponse({"detail": _("服务器内部错误，请稍后再试。")}, status=500)


class SchemaView(SpectacularAPIView):
    """The OpenAPI document, generated once per process, language and version: it is the same for every
    reader (SERVE_PUBLIC) and changes only with the code, and generating it costs ~0.5 s a request."""

    _made: ClassVar[dict] = {}

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (translation.get_language(), version, self.urlconf)
        if key not in self._made:
            generator = self.generator_class(urlconf=self.urlconf, api_version=version, patterns=self.patterns)
            self._made[key] = generator.get_schema(request=request, public=self.serve_public)
        return Response(data=self._made[key],
                        headers={"Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'})
