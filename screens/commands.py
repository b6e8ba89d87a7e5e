"""Command palette (ctrl+p): go to a practice, open a month, filter the list.

The commands know the app's state: practices come from the list already loaded, months
from the store (read off the UI thread when the palette opens)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape

from resilience.agenda import BANDS, ListFilter
from resilience.safe_text import clean
from screens.handle import resilience_app

if TYPE_CHECKING:
    from screens.practice_list import PracticeListScreen


class ResilienceCommands(Provider):
    async def startup(self) -> None:
        store = resilience_app(self).store
        worker = self.app.run_worker(store.periods, thread=True)
        self.periods = await worker.wait()
        self.cohorts = await self.app.run_worker(store.cohort_names, thread=True).wait()
        self.commissioners = await self.app.run_worker(store.commissioners, thread=True).wait()

    def _list_screen(self) -> PracticeListScreen | None:
        from screens.practice_list import PracticeListScreen

        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, PracticeListScreen):
                return screen
        return None

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        """(title, callback, help) for everything the palette offers now."""
        out: list[tuple[str, Callable[[], object], str]] = []
        listing = self._list_screen()
        if listing is not None and listing.data is not None:
            for row in listing.data.rows:
                out.append(
                    (
                        f"Go to practice {row.ods_code} {row.name}",
                        partial(self._go_to, row.ods_code),
                        f"{row.commissioner} · {row.band or 'not scored'}",
                    )
                )
            for band in BANDS:
                out.append(
                    (
                        f"Filter: band {band}",
                        partial(self._filter, ListFilter(band=band)),
                        "show only this band",
                    )
                )
            for commissioner in sorted({r.commissioner for r in listing.data.rows}):
                out.append(
                    (
                        f"Filter: commissioner {commissioner}",
                        partial(self._filter, ListFilter(commissioner=commissioner)),
                        "show only this commissioner's practices",
                    )
                )
            out.append(
                (
                    "Filter: not reviewed yet",
                    partial(self._filter, ListFilter(reviewed=False)),
                    "what is left for this meeting",
                )
            )
            out.append(("Filter: clear", partial(self._filter, ListFilter()), "show everything"))
        out.append(
            (
                "New GPRP cohort...",
                self._new_cohort,
                "name, places and quotas; then add applicants",
            )
        )
        for cohort in getattr(self, "cohorts", []):
            out.append(
                (
                    f"Open cohort {cohort}",
                    partial(self._open_cohort, cohort),
                    "GPRP allocation and decisions",
                )
            )
        for period in reversed(getattr(self, "periods", [])):
            state = "closed, read-only" if period.is_closed else "open"
            out.append(
                (f"Open period {period.period}", partial(self._open_period, period.period), state)
            )
        return out

    def _go_to(self, ods_code: str) -> None:
        from screens.review import ReviewScreen

        listing = self._list_screen()
        if listing is None or listing.data is None or listing.data.period is None:
            return
        while self.app.screen is not listing:
            self.app.pop_screen()
        order = [r.ods_code for r in listing.shown] or [ods_code]
        if ods_code not in order:
            order = [r.ods_code for r in listing.data.rows]
        listing._reload_on_resume = True
        self.app.push_screen(ReviewScreen(ods_code, listing.data.period.period, order))

    def _filter(self, chosen: ListFilter) -> None:
        listing = self._list_screen()
        if listing is not None:
            while self.app.screen is not listing:
                self.app.pop_screen()
            listing.apply_filter(chosen)

    def _open_cohort(self, cohort: str) -> None:
        from screens.cohort import CohortScreen

        self.app.push_screen(CohortScreen(cohort))

    def _new_cohort(self) -> None:
        from screens.cohort import CohortScreen
        from screens.cohort_dialogs import NewCohortScreen

        def created(name: str | None) -> None:
            if name:
                self.app.push_screen(CohortScreen(name))

        period = resilience_app(self).period
        commissioners = getattr(self, "commissioners", [])
        self.app.push_screen(NewCohortScreen(period, commissioners), created)

    def _open_period(self, period: str) -> None:
        listing = self._list_screen()
        if listing is not None:
            while self.app.screen is not listing:
                self.app.pop_screen()
            listing._switch_to(period)

    async def discover(self) -> Hits:
        for title, callback, help_text in self._commands():
            if title.startswith(("Filter", "Open period", "Open cohort", "New GPRP")):
                yield DiscoveryHit(Content(clean(title)), callback, help=_help(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback, help_text in self._commands():
            title = clean(title, one_line=True)
            match = matcher.match(title)
            if match > 0:
                yield Hit(match, _highlight(matcher, title), callback, help=_help(help_text))


def _highlight(matcher: Matcher, title: str) -> Content:
    """The matcher's highlight, on plain text: Textual's own reads the title as markup,
    and titles carry practice and cohort names (``[/x]`` would crash the palette)."""
    content = Content(title)
    score, offsets = matcher.fuzzy_search.match(matcher.query, title)
    if score:
        for offset in offsets:
            if not title[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def _help(text: str) -> str:
    """Help lines are read as markup by the palette: names in them are escaped."""
    return escape(clean(text, one_line=True))
