"""Canada Post tracking through karrio, fed recorded answers by `karrio_helpers`: the recorded Quebec parcel mapped
exactly (Eastern time from the province), identifiers with leading zeros, errors as data, transport failures
retryable, credentials required.
"""

from __future__ import annotations

from datetime import UTC, datetime
from unittest.mock import MagicMock

import pytest

from integrations import get_carrier_source
from integrations.carriers.canadapost import CanadaPostSettings, CanadaPostSource, mapping, units
from integrations.errors import IntegrationError, RetryableError
from integrations.models import TrackingRequest, TrackingStatus
from tests.integrations.karrio_helpers import KarrioCase

NUMBER = "7023210039414604"
NOW = datetime(2011, 2, 4, tzinfo=UTC)
TRACKING_URL = f"https://soa-gw.canadapost.ca/vis/track/pin/{NUMBER}/detail"
CANADA_POST = KarrioCase("canada_post", NUMBER, NOW, TRACKING_URL, token_key="canadapost", own=True,
                         recorded=f"canadapost_tracking_{NUMBER}.xml", connector="canadapost")  # fmt: skip
recorded_answer, track, http_error = CANADA_POST.recorded_answer, CANADA_POST.track, CANADA_POST.http_error
proxy_request = CANADA_POST.proxy_request_fixture()
source = CANADA_POST.source_fixture(CanadaPostSource, CanadaPostSettings)
S = TrackingStatus

# The recorded events, oldest first, in UTC: Canada Post printed Quebec local times (EST, UTC-5, in February).
EXPECTED_EVENTS = [
    ("2011-02-01T12:59", S.DELIVERED, "20", "QUEBEC, QC, CA", "Signature image recorded for Online viewing"),
    ("2011-02-01T12:59", S.DELIVERED, "1496", "QUEBEC, QC, CA", "Item successfully delivered"),
    ("2011-02-02T11:19", S.IN_TRANSIT, "0173", "QUEBEC, QC, CA",
     "Customer addressing error found; attempting to correct. Possible delay"),
    ("2011-02-02T19:45", S.IN_TRANSIT, "0100", "QUEBEC, QC, CA", "Item processed at postal facility"),
    ("2011-02-03T13:27", S.OUT_FOR_DELIVERY, "0174", "SAINTE-FOY, QC, CA", "Item out for delivery"),
    ("2011-02-03T16:59", S.DELIVERED, "20", "SAINTE-FOY, QC, CA", "Signature image recorded for Online viewing"),
]  # fmt: skip


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_canadapost_source_maps_the_recorded_parcel_exactly(source: CanadaPostSource, proxy_request: MagicMock) -> None:
    proxy_request.return_value = recorded_answer()

    update = track(source)

    assert (update.found, update.carrier, update.tracking_number) == (True, "canada_post", NUMBER)
    actual = [(e.occurred_at, e.status, e.substatus, e.location, e.description) for e in update.events]
    assert actual == [(utc(at), status, code, place, text) for at, status, code, place, text in EXPECTED_EVENTS]
    assert {e.timezone for e in update.events} == {"America/Toronto"}
    # karrio reads the newest event's identifier, 20, as "in transit"; the signature recorded at the door says
    # the parcel was delivered then
    assert update.status is S.DELIVERED
    assert update.delivered_at == datetime(2011, 2, 3, 16, 59, tzinfo=UTC)
    assert update.service == "Expedited Parcels"
    # a date-only estimate is the end of that day where the parcel last was (EDT by April)
    assert update.estimated_delivery == datetime(2011, 4, 6, 3, 59, 59, tzinfo=UTC)
    assert proxy_request.call_args.kwargs["url"] == TRACKING_URL
    assert proxy_request.call_args.kwargs["headers"]["Authorization"].startswith("Basic ")


@pytest.mark.parametrize(
    ("identifier", "text", "status"),
    [
        ("1415", "Attempted delivery; notice card left", S.ATTEMPT_FAILED),
        ("1411", "Item held for the recipient's customs clearance", S.EXCEPTION),  # on hold, in karrio's table
    ],
)
def test_canadapost_source_reads_the_latest_problem_as_the_status(
    source: CanadaPostSource, proxy_request: MagicMock, identifier: str, text: str, status: TrackingStatus
) -> None:
    answer = recorded_answer()
    newest = answer.index("<occurrence>")
    event = (f"<occurrence><event-identifier>{identifier}</event-identifier><event-date>2011-02-04</event-date>"
             "<event-time>10:05:00</event-time><event-time-zone>EST</event-time-zone>"
             f"<event-description>{text}</event-description>"
             "<event-site>SAINTE-FOY</event-site><event-province>QC</event-province></occurrence>")  # fmt: skip
    answer = answer[:newest] + event + answer[newest:]
    answer = answer.replace("<event-identifier>20</event-identifier>", "<event-identifier>0100</event-identifier>")
    answer = answer.replace("<event-identifier>1496</event-identifier>", "<event-identifier>0100</event-identifier>")
    proxy_request.return_value = answer

    update = track(source)

    assert update.status is status
    assert update.events[-1].occurred_at == datetime(2011, 2, 4, 15, 5, tzinfo=UTC)  # 10:05 EST


def test_canadapost_source_reports_an_unknown_number_as_not_found(
    source: CanadaPostSource, proxy_request: MagicMock
) -> None:
    proxy_request.return_value = recorded_answer("canadapost_tracking_not_found.xml")

    update = track(source, "1234567890123456")

    assert (update.found, update.status, update.events, update.messages) == (False, S.UNKNOWN, (), ("No Pin History",))


@pytest.mark.parametrize(("answer", "raised"), CANADA_POST.transport_failures())
def test_canadapost_source_raises_retryable_error_on_transport_failures(
    source: CanadaPostSource, proxy_request: MagicMock, answer: str | None, raised: Exception | None
) -> None:
    proxy_request.return_value = answer
    proxy_request.side_effect = raised

    with pytest.raises(RetryableError, match="canadapost tracking failed"):
        track(source)


def test_canadapost_source_raises_integration_error_when_canada_post_rejects_the_credentials(
    source: CanadaPostSource, proxy_request: MagicMock
) -> None:
    proxy_request.return_value = recorded_answer("canadapost_tracking_auth_error.xml")

    with pytest.raises(IntegrationError, match="AAA Authentication Failure") as raised:
        track(source)
    assert not isinstance(raised.value, RetryableError)


def test_get_carrier_source_canadapost_without_credentials_raises_integration_error_naming_the_variables(
    monkeypatch: pytest.MonkeyPatch, proxy_request: MagicMock
) -> None:
    for name in ("CANADAPOST_USERNAME", "CANADAPOST_PASSWORD", "CANADAPOST_CUSTOMER_NUMBER"):
        monkeypatch.delenv(name, raising=False)
    canada_post = get_carrier_source("canadapost")

    with pytest.raises(IntegrationError, match=r"set CANADAPOST_USERNAME, CANADAPOST_PASSWORD$"):
        canada_post.track([TrackingRequest(carrier="canada_post", tracking_number=NUMBER)], now=NOW)
    assert canada_post.name == "canadapost"
    proxy_request.assert_not_called()


def test_canadapost_units_match_identifiers_without_their_leading_zeros_and_never_raise() -> None:
    assert units.code_status("0174") is units.code_status("174") is S.OUT_FOR_DELIVERY
    assert units.code_status("1415") is S.ATTEMPT_FAILED  # from karrio's own table
    assert units.event_status(code="9999", description="Something new", karrio="teleported") is S.UNKNOWN
    assert units.event_status(code=None, description=None, karrio=None) is S.UNKNOWN
    assert units.event_status(code="0000", description=object(), karrio=[]) is S.UNKNOWN
    assert units.event_status(code="9999", description="Item out for delivery", karrio=None) is S.OUT_FOR_DELIVERY


@pytest.mark.parametrize(
    ("text", "label", "zone"),
    [
        ("SAINTE-FOY, QC", "SAINTE-FOY, QC, CA", "America/Toronto"),
        ("VANCOUVER, BC", "VANCOUVER, BC, CA", "America/Vancouver"),
        ("REGINA, SK", "REGINA, SK, CA", "America/Regina"),
        ("UNITED STATES", "UNITED STATES", None),  # abroad: the US has no single zone
        ("CHINA", "CHINA", "Asia/Shanghai"),
        ("MISSISSAUGA", "MISSISSAUGA", None),  # a site without its province: the neighbours' zone
    ],
)
def test_canadapost_mapping_reads_the_zone_of_an_events_place(text: str, label: str, zone: str | None) -> None:
    place = mapping.read_place(text)

    assert place is not None
    assert (place.label(), place.zone()) == (label, zone)
    assert mapping.read_place("") is None


def test_canadapost_source_maps_a_parcel_still_in_transit(source: CanadaPostSource, proxy_request: MagicMock) -> None:
    # the recorded parcel as it stood on 2 February: its two newest events not yet made, no delivery before them
    answer = recorded_answer()
    start, end = answer.index("<occurrence>"), answer.index("<occurrence>", answer.index("<occurrence>") + 1)
    answer = answer[:start] + answer[answer.index("<occurrence>", end + 1) :]
    answer = answer.replace("<event-identifier>20</event-identifier>", "<event-identifier>0100</event-identifier>")
    answer = answer.replace("<event-identifier>1496</event-identifier>", "<event-identifier>0100</event-identifier>")
    proxy_request.return_value = answer

    update = track(source)

    assert update.status is S.IN_TRANSIT
    assert update.delivered_at is None
    assert update.events[-1].occurred_at == datetime(2011, 2, 2, 19, 45, tzinfo=UTC)  # 14:45 EST in Quebec
    assert update.estimated_delivery == datetime(2011, 4, 6, 3, 59, 59, tzinfo=UTC)
