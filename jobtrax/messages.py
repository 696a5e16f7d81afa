"""Django's message storage (a cookie, then the session), made when a request first reads or
adds a message. Most requests do neither, and making the cookie storage builds a signer."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib.messages.storage.base import BaseStorage
from django.contrib.messages.storage.fallback import FallbackStorage


class LazyFallbackStorage(FallbackStorage):
    def __init__(self, request, *args: Any, **kwargs: Any) -> None:
        BaseStorage.__init__(self, request, *args, **kwargs)
        self._arguments = (request, *args), kwargs
        self._used_storages = set()

    @cached_property
    def storages(self) -> list[BaseStorage]:
        args, kwargs = self._arguments
        return [storage_class(*args, **kwargs) for storage_class in self.storage_classes]
