"""REST /api/v1: thin over ``gaoqi.registry`` services and selectors and ``gaoqi.rules.assess``.

Every enterprise is looked up in ``enterprises_visible_to(request.user)``: one out of scope is 404, so ids cannot be
probed; a role that may read but not write gets 403.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.drainage import set_override
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, generics, serializers, status
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from gaoqi.accounts.models import User
from gaoqi.api.permissions import CanWriteEnterprises, CanWriteFigures, IsNotAuditor
from gaoqi.api.renderers import FastJSONRenderer
from gaoqi.api.serializers import EnterpriseSerializer, YearlyFiguresSerializer
from gaoqi.registry import services
from gaoqi.registry.models import Enterprise, YearlyFigures
from gaoqi.registry.selectors import enterprises_visible_to
from gaoqi.rules import InputError, assess, programs_from_text

ERRORS = inline_serializer(
    "Errors",
    {
        "errors": serializers.ListField(
            child=inline_serializer("Problem", {"path": serializers.CharField(), "message": serializers.CharField()})
        )
    },
)


def _errors(*problems: tuple[str, str]) -> Response:
    return Response(
        {"errors": [{"path": path, "message": message} for path, message in problems]},
        status=status.HTTP_400_BAD_REQUEST,
    )


class TokenLookup(TokenAuthentication):
    """DRF's token authentication with the same answers and messages, the token's user read by one written query.

    ``select_related("user").get(key=…)`` spent longer building its SQL than the database spent answering it, and
    a raw queryset of the whole user row a seventh of the assess endpoint's CPU (``make bench``): the user is read
    as the fields the API decides by (``_USER_FIELDS``); any other field is loaded when first read, as a deferred
    field is. ``request.auth`` is the token with its key and user only.
    """

    def authenticate_credentials(self, key: str) -> tuple[User, Token]:
        quote = connection.ops.quote_name
        column = {field.name: str(field.column) for field in User._meta.concrete_fields}  # concrete: never None
        columns = ", ".join(f"u.{quote(column[name])}" for name in _USER_FIELDS)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns} FROM {quote(User._meta.db_table)} u JOIN {quote(Token._meta.db_table)} t "
                "ON t.user_id = u.id WHERE t.key = %s",
                [key],
            )
            found = cursor.fetchone()
        if found is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        pk, is_active, role = found
        if not is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        user = User.from_db(connection.alias, list(_USER_FIELDS), [pk, bool(is_active), role])
        return user, Token(key=key, user=user)


_USER_FIELDS = ("id", "is_active", "role")


# the OpenAPI document describes it as DRF's "tokenAuth" (the same header, the same tokens), without a warning
set_override(TokenLookup, "suppress_collision_warning", True)


class AssessView(APIView):
    """Assess one enterprise described by a facts.md JSON document; nothing is stored."""

    # the configured authentication, with the token read by TokenLookup
    authentication_classes = tuple(
        TokenLookup if cls is TokenAuthentication else cls for cls in api_settings.DEFAULT_AUTHENTICATION_CLASSES
    )
    permission_classes = (IsNotAuditor,)
    renderer_classes = (FastJSONRenderer,)

    @extend_schema(
        summary="自评：按 facts.md 文档评价一家企业",
        description=(
            "请求体为 facts.md 格式的 JSON 文档；返回与 `gaoqi assess --format json` 相同的结果。不保存任何数据。"
        ),
        parameters=[OpenApiParameter("program", str, description="评价的项目，逗号分隔，如 hnte,tsme；默认全部")],
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, 400: ERRORS},
    )
    def post(self, request: Request) -> Response:
        try:
            program = programs_from_text(request.query_params.get("program", ""))
        except ValueError as exc:
            return _errors(("program", str(exc)))
        try:
            text = request.body.decode("utf-8")
        except UnicodeDecodeError:
            return _errors(("", "请求体不是 UTF-8 编码的文本（JSON）。"))
        try:
            result = assess(text, program=program)
        except InputError as exc:
            return _errors(*((p.path, p.message) for p in exc.problems))
        return Response(result)


class EnterpriseList(generics.ListCreateAPIView):
    """The enterprises within the caller's scope; bureau and district officers and administrators add new ones."""

    serializer_class = EnterpriseSerializer
    permission_classes = (IsNotAuditor, CanWriteEnterprises)

    def get_queryset(self) -> QuerySet[Enterprise]:
        return enterprises_visible_to(self.request.user).order_by("name", "pk")


class EnterpriseDetail(generics.RetrieveUpdateDestroyAPIView):
    serializer_class = EnterpriseSerializer
    permission_classes = (IsNotAuditor, CanWriteEnterprises)

    def get_queryset(self) -> QuerySet[Enterprise]:
        return enterprises_visible_to(self.request.user)

    def perform_destroy(self, instance: Enterprise) -> None:
        try:
            services.enterprise_delete(actor=self.request.user, enterprise=instance)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: exc.messages}) from None


class _FiguresMixin(generics.GenericAPIView[YearlyFigures]):
    """Finds the enterprise in scope (else 404) before deciding whether the caller may write (else 403)."""

    serializer_class = YearlyFiguresSerializer
    permission_classes = (IsNotAuditor, CanWriteFigures)
    _enterprise: Enterprise | None = None

    def enterprise(self) -> Enterprise:
        if self._enterprise is None:
            self._enterprise = get_object_or_404(enterprises_visible_to(self.request.user), pk=self.kwargs["pk"])
            self.check_object_permissions(self.request, self._enterprise)
        return self._enterprise

    def get_queryset(self) -> QuerySet[YearlyFigures]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no enterprise
            return YearlyFigures.objects.none()
        return YearlyFigures.objects.filter(enterprise=self.enterprise()).order_by("year")

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return dict(context)
        return {**context, "enterprise": self.enterprise()}


class YearlyFiguresList(_FiguresMixin, generics.ListCreateAPIView):
    """One enterprise's yearly figures (``years`` of facts.md), oldest first."""


class YearlyFiguresDetail(_FiguresMixin, generics.RetrieveUpdateDestroyAPIView):
    lookup_field = "year"
    http_method_names = ("get", "patch", "delete", "head", "options")

    def perform_destroy(self, instance: YearlyFigures) -> None:
        services.yearly_figures_delete(actor=self.request.user, figures=instance)


class TokenView(APIView):
    """Exchange a username and password for an API token; the login lockout applies here as on the login page."""

    permission_classes = (AllowAny,)
    authentication_classes = ()
    LOCKED = "登录失败次数过多，该账号已被暂时锁定，请 30 分钟后再试或联系管理员。"

    @extend_schema(
        summary="获取接口令牌",
        request=inline_serializer(
            "Credentials", {"username": serializers.CharField(), "password": serializers.CharField()}
        ),
        responses={200: inline_serializer("TokenOut", {"token": serializers.CharField()}), 400: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request) -> Response:
        data = request.data if hasattr(request.data, "get") else {}
        username, password = str(data.get("username", "")).strip(), str(data.get("password", ""))
        if not username or not password:
            return Response({"detail": "请填写用户名和密码。"}, status=status.HTTP_400_BAD_REQUEST)
        credentials = {"username": username}
        if AxesProxyHandler.is_locked(request, credentials):
            return Response({"detail": self.LOCKED}, status=status.HTTP_403_FORBIDDEN)
        user = authenticate(request, username=username, password=password)
        if getattr(request, "axes_locked_out", False):
            return Response({"detail": self.LOCKED}, status=status.HTTP_403_FORBIDDEN)
        if user is None or not user.is_active:
            return Response({"detail": "用户名或密码不正确。"}, status=status.HTTP_400_BAD_REQUEST)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
