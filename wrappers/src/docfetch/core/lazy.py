"""Modules imported on first use, so ``from docfetch.<provider> import <Client>`` stays light.

This is the one place deferred loading is done: :mod:`docfetch.core._async.client` builds httpx and
the generated client on first use, core modules bind httpx with :func:`lazy_module`, a provider
binds its generated endpoint modules with :func:`lazy_package`, and a provider package loads its sync
or async client when it is first named (:func:`lazy_clients`: importing the sync client does not
load the async one, nor the reverse).

httpx (with the click/rich/pygments it loads when they are installed), asyncio and the generated
endpoint modules are most of an import otherwise; a provider module binds them with
:func:`lazy_module` and only the first attribute access imports them::

    if TYPE_CHECKING:
        import httpx
    else:
        httpx = lazy_module("httpx")

Type checkers see the real module; at run time the name is a :class:`LazyModule`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING
from typing import Any

if TYPE_CHECKING:
    from docfetch._registry import ProviderFacts


class LazyModule:
    """Stands for the module ``name``; the first attribute access imports it (thread-safe: the
    import system locks per module), and each attribute is then kept on this object."""

    def __init__(self, name: str) -> None:
        self.__dict__["_lazy_name"] = name

    def __getattr__(self, attr: str) -> Any:
        value = getattr(importlib.import_module(self.__dict__["_lazy_name"]), attr)
        self.__dict__[attr] = value
        return value

    def __repr__(self) -> str:
        return f"<lazy module {self.__dict__['_lazy_name']!r}>"


def lazy_module(name: str) -> Any:
    """A :class:`LazyModule` for ``name`` (typed ``Any``: bind it under ``if not TYPE_CHECKING``)."""
    return LazyModule(name)


class LazyPackage:
    """Stands for the package ``name``; attribute ``x`` is its submodule ``name.x``, imported on first use
    (a provider binds its generated endpoint modules this way: ``api.retrieve_document.request_kwargs``)."""

    def __init__(self, name: str) -> None:
        self.__dict__["_lazy_name"] = name

    def __getattr__(self, attr: str) -> Any:
        name = f"{self.__dict__['_lazy_name']}.{attr}"
        module = importlib.import_module(name)
        value = LazyPackage(name) if hasattr(module, "__path__") else module  # subpackages stay lazy
        self.__dict__[attr] = value
        return value

    def __repr__(self) -> str:
        return f"<lazy package {self.__dict__['_lazy_name']!r}>"


def lazy_package(name: str) -> Any:
    """A :class:`LazyPackage` for ``name`` (typed ``Any``: bind it under ``if not TYPE_CHECKING``)."""
    return LazyPackage(name)


def lazy_clients(facts: ProviderFacts, namespace: dict[str, Any]) -> Callable[[str], Any]:
    """A provider package's PEP 562 ``__getattr__``: its sync client (``facts.client_class``) and its async
    twin are imported when first named and kept in ``namespace`` (the package's globals), so the sync
    client never loads the async one, nor the reverse. Type checkers see them through ``if
    TYPE_CHECKING:`` imports beside it."""
    package = f"docfetch.providers.{facts.name}"
    exports = {facts.client_class: f"{package}._sync", f"Async{facts.client_class}": f"{package}._async"}

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    return __getattr__
