"""The site's hand-written date formats are CLDR's, as Babel writes them, for every month and minute."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from babel.dates import format_date, format_time, get_datetime_format

from community.web.dates import _day, _moment


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_every_day_of_a_year_reads_as_babel_writes_it(locale):
    for n in range(366):
        day = date(2028, 1, 1) + timedelta(days=n)
        assert _day(day, locale) == format_date(day, "medium", locale=locale)


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_every_minute_of_a_day_reads_as_babel_writes_it(locale):
    pattern = get_datetime_format("medium", locale=locale)
    for n in range(24 * 60):
        moment = datetime(2026, 12, 2) + timedelta(minutes=n)
        expected = pattern.format(format_time(moment, "short", locale=locale),
                                  format_date(moment, "medium", locale=locale))
        assert _moment(moment, locale) == expected
