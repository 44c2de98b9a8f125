"""What a provider contributes to the pipeline: its resolver."""

from __future__ import annotations

from collections.abc import AsyncIterator
from collections.abc import Sequence

from docfetch.types import DownloadItem
from docfetch.types import FileResult
from docfetch.types import Planned

__all__ = ["AsyncResolver", "ItemsResolver"]


class AsyncResolver:
    """A provider's rules for turning ids into downloads. Override :meth:`resolve`; the rest has defaults.

    ``batch_size``: ids per :meth:`resolve` call (Veridox signs 25 at once). ``planners``: how many
    :meth:`resolve` calls run at once (None: as many as transfers; a job provider watches that many
    jobs at a time; a rate-limited one takes 1).
    """

    batch_size: int = 1
    planners: int | None = None

    def check(self, given: str) -> str:
        """The id as it will be sent, or InvalidInputError."""
        return given

    def key(self, checked: str) -> str:
        """Ids with the same key are the same file: fetched and reported once."""
        return checked

    def resolve(self, batch: list[str]) -> AsyncIterator[Planned | FileResult]:
        """Each file of the batch's ids as a :class:`Planned` download, or a :class:`FileResult` for
        an id that has nothing to download (its error). Failures of one id never raise."""
        raise NotImplementedError

    async def settle(self, planned: Planned, result: FileResult) -> FileResult:
        """A last look at a finished download (e.g. explain a refusal with the provider's state)."""
        return result


class ItemsResolver(AsyncResolver):
    """Items already known: the id is the item's index (``download_many``); planned one at a time, so
    names are made unique in item order."""

    planners = 1

    def __init__(self, items: Sequence[DownloadItem]) -> None:
        self._items = items

    async def resolve(self, batch: list[str]) -> AsyncIterator[Planned | FileResult]:
        for index in batch:
            item = self._items[int(index)]
            yield Planned(item, owner=item.id)
