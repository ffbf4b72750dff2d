"""The one API router. Apps register their collections here from AppConfig.ready() (the core imports no app)."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
router.include_format_suffixes = False


def register(prefix: str, viewset, basename: str) -> None:
    if basename not in {name for _, _, name in router.registry}:
        router.register(prefix, viewset, basename=basename)
