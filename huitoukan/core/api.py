"""What every app's api.py shares: input parsing with Chinese errors per field, paging, common fields."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from huitoukan.core.lights import LIGHT_LABELS, Light


class InvalidInput(APIException):
    """Bad input: the same {code, detail} shape as a domain error, plus the errors per field."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "INVALID_INPUT"


def _subfields(field):
    field = getattr(field, "child", field)
    return getattr(field, "fields", None)


def _lines(errors, fields, key_path: str = "", label_path: str = ""):
    """One Chinese line per error, naming the field by its label and its key: "单位名称（name）：…"."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            if key == "non_field_errors":
                yield from _lines(value, None, key_path, label_path)
            elif isinstance(key, int):
                yield from _lines(value, fields, f"{key_path}[{key}]", f"{label_path}第{key + 1}项")
            else:
                field = (fields or {}).get(key)
                label = str(getattr(field, "label", None) or key)
                yield from _lines(
                    value,
                    _subfields(field),
                    f"{key_path}.{key}" if key_path else key,
                    label_path + label,
                )
    elif isinstance(errors, list) and any(isinstance(item, dict) for item in errors):
        for index, item in enumerate(errors):
            if item:
                yield from _lines(
                    item, fields, f"{key_path}[{index}]", f"{label_path}第{index + 1}项"
                )
    else:
        messages = "".join(str(m) for m in (errors if isinstance(errors, list) else [errors]))
        yield f"{label_path}（{key_path}）：{messages}" if key_path else messages


def parse(
    serializer_class: type[serializers.Serializer], data, *, partial: bool = False, **context
) -> dict:
    """Validate request input; a refusal answers 400 naming each field in Chinese.

    `partial` for PATCH: absent fields stay absent (a form-encoded body would otherwise
    read an absent boolean as false).
    """
    if data is None:  # a JSON `null` body: DRF's own refusal ("No data provided") is English, not translatable
        raise invalid_input({"non_field_errors": [_("请求内容为空：须为 JSON 对象。")]})
    serializer = serializer_class(data=data, partial=partial, context=context)
    if not serializer.is_valid():
        raise invalid_input(serializer.errors, serializer.fields)
    return serializer.validated_data


def invalid_input(errors, fields=None) -> InvalidInput:
    """The 400 of bad input: `errors` as a serializer gives them, in one Chinese `detail` naming
    each field by its label in `fields` (a serializer's) and its key, and kept per field."""
    lines = [line.rstrip("。") for line in _lines(errors, fields)]
    return InvalidInput({"code": "INVALID_INPUT", "detail": "；".join(lines) + "。", "fields": errors})


# An object as the API answers it: each field's type, choices and nullability are the
# model's (declared once, there). A foreign key listed as `<name>_id` is its primary key.
# (A comment, not a docstring: a serializer's docstring becomes its description in the schema.)
class ModelOutput(serializers.ModelSerializer):

    def build_field(self, field_name, info, model_class, nested_depth):
        relation = info.relations.get(field_name.removesuffix("_id")) if field_name.endswith("_id") else None
        if relation is not None and not relation.to_many:
            model_field = relation.model_field
            return serializers.PrimaryKeyRelatedField, {"source": model_field.name, "read_only": True,
                                                     "allow_null": model_field.null}
        return super().build_field(field_name, info, model_class, nested_depth)

    def get_uniqueness_extra_kwargs(self, field_names, declared_fields, extra_kwargs):
        return extra_kwargs, {}  # an answer is not validated: no unique-together defaults

    def get_extra_kwargs(self):
        # Every field is in every answer, a default or blank one too: the schema says so.
        extra = super().get_extra_kwargs()
        for name in set(self.Meta.fields) - set(self._declared_fields) - {"id"}:
            if not name.endswith("_id"):
                extra.setdefault(name, {}).setdefault("required", True)
        return extra


class Pagination(LimitOffsetPagination):
    max_limit = 500


def paginated(view: APIView, queryset, serializer_class: type[serializers.Serializer]) -> Response:
    paginator = Pagination()
    page = paginator.paginate_queryset(queryset, view.request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)


def created(serializer_class: type[serializers.Serializer], obj, request) -> Response:
    """The answer to a write that made `obj`: 201 with the object as `serializer_class` shows it."""
    return Response(serializer_class(obj, context={"request": request}).data, status=status.HTTP_201_CREATED)


def scoped_detail(*, operation_id: str, summary, get_for, output: type[serializers.Serializer]):
    """The GET of one object: `get_for(user=…, pk=…)` answers 404 for an object outside the
    caller's scope exactly as for an absent one."""

    @extend_schema(operation_id=operation_id, summary=summary, responses=output)
    def get(view, request, pk: int):
        return Response(output(get_for(user=request.user, pk=pk), context={"request": request}).data)

    return get


def scoped_update(*, operation_id: str, summary, input, output, get_for, perm, update):
    """The PATCH of one object: `get_for(user=…, pk=…, perm=perm)` refuses it (404 outside the
    caller's scope, 403 inside it without `perm`) before the input is read; then
    `update(request, obj, data)` changes it with the fields given."""

    @extend_schema(operation_id=operation_id, summary=summary, request=input, responses=output)
    def patch(view, request, pk: int):
        obj = get_for(user=request.user, pk=pk, perm=perm)
        data = parse(input, request.data, partial=True)
        return Response(output(update(request, obj, data), context={"request": request}).data)

    return patch


def model_choice(model, name: str, **kwargs) -> serializers.ChoiceField:
    """A ChoiceField taking what the model's field `name` takes: the choices stay in one place, the model."""
    return serializers.ChoiceField(choices=model._meta.get_field(name).choices, **kwargs)


def light_schema() -> serializers.ChoiceField:
    """A 红黄绿灯 as the schema documents it (for `extend_schema_field`): its value, with its Chinese label."""
    return serializers.ChoiceField(choices=[(light.value, LIGHT_LABELS[light]) for light in Light])


# The Error component is added by huitoukan.api.add_error_responses.
ERROR_REF = {"$ref": "#/components/schemas/Error"}
