"""Modules imported on first use, so ``from docfetch.<provider> import <Client>`` stays light.

This is the one place deferred loading is done: :mod:`docfetch.core._async.client` builds httpx and
the generated client on first use, core modules bind httpx with :func:`lazy_module`, and a provider
binds its generated endpoint modules with :func:`lazy_package`.

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
from typing import Any


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
