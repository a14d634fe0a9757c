"""DHL Express tracking through karrio, fed recorded answers by `karrio_helpers`: a Barcelona -> Leipzig -> Milan
delivery mapped exactly (each checkpoint in its country's zone), a parcel in transit from Jamaica, errors as data,
transport failures retryable, credentials required.
"""

from __future__ import annotations

from datetime import UTC, datetime
from unittest.mock import MagicMock

import pytest

from integrations import get_carrier_source
from integrations.carriers.dhl_express import DHLExpressSettings, DHLExpressSource, mapping, units
from integrations.errors import IntegrationError, RetryableError
from integrations.models import TrackingRequest, TrackingStatus
from tests.integrations.karrio_helpers import KarrioCase

NUMBER = "3180831640"
NOW = datetime(2009, 9, 1, tzinfo=UTC)
TRACKING_URL = "https://xmlpi-ea.dhl.com/XMLShippingServlet"
DHL = KarrioCase("dhl", NUMBER, NOW, TRACKING_URL, token_key="dhl_express",
                 recorded=f"dhl_express_tracking_{NUMBER}.xml", own=True, connector="dhl_express")  # fmt: skip
recorded_answer, track, http_error = DHL.recorded_answer, DHL.track, DHL.http_error
proxy_request, source = DHL.proxy_request_fixture(), DHL.source_fixture(DHLExpressSource, DHLExpressSettings)
S = TrackingStatus

# The recorded delivery, oldest first, in UTC: DHL printed local times (to the minute in karrio) in Spain, Germany
# and Italy, all on Central European Summer Time (UTC+2) in August.
EXPECTED_EVENTS = [
    ("2009-08-28T11:26", "Europe/Madrid", S.IN_TRANSIT, "PU", "Barcelona, ES"),
    ("2009-08-28T17:27", "Europe/Madrid", S.IN_TRANSIT, "PO", "Barcelona, ES"),
    ("2009-08-28T17:27", "Europe/Madrid", S.IN_TRANSIT, "RW", "Barcelona, ES"),
    ("2009-08-28T18:39", "Europe/Madrid", S.IN_TRANSIT, "PL", "Barcelona, ES"),
    ("2009-08-28T19:17", "Europe/Madrid", S.IN_TRANSIT, "AF", "Barcelona, ES"),
    ("2009-08-28T20:01", "Europe/Madrid", S.IN_TRANSIT, "DF", "Barcelona, ES"),
    ("2009-08-28T22:32", "Europe/Berlin", S.IN_TRANSIT, "AF", "Leipzig, DE"),  # 00:32 on the 29th in Leipzig
    ("2009-08-28T23:05", "Europe/Berlin", S.IN_TRANSIT, "PL", "Leipzig, DE"),
    ("2009-08-29T03:52", "Europe/Berlin", S.IN_TRANSIT, "DF", "Leipzig, DE"),
    ("2009-08-30T17:43", "Europe/Rome", S.IN_TRANSIT, "AF", "Bergamo, IT"),
    ("2009-08-30T21:30", "Europe/Rome", S.IN_TRANSIT, "PL", "Bergamo, IT"),
    ("2009-08-31T00:06", "Europe/Rome", S.IN_TRANSIT, "DF", "Bergamo, IT"),
    ("2009-08-31T04:23", "Europe/Rome", S.IN_TRANSIT, "DF", "Milan, IT"),
    ("2009-08-31T06:59", "Europe/Rome", S.IN_TRANSIT, "AR", "Milan, IT"),
    ("2009-08-31T07:19", "Europe/Rome", S.OUT_FOR_DELIVERY, "WC", "Milan, IT"),
    ("2009-08-31T08:09", "Europe/Rome", S.DELIVERED, "OK", "Milan, IT"),
]  # fmt: skip


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_dhl_express_source_maps_the_recorded_delivery_exactly(
    source: DHLExpressSource, proxy_request: MagicMock
) -> None:
    proxy_request.return_value = recorded_answer()

    update = track(source)

    assert (update.found, update.carrier, update.tracking_number) == (True, "dhl", NUMBER)
    assert update.status is S.DELIVERED
    actual = [(e.occurred_at, e.timezone, e.status, e.substatus, e.location) for e in update.events]
    assert actual == [(utc(at), zone, status, code, place) for at, zone, status, code, place in EXPECTED_EVENTS]
    # DHL's descriptions as a shopper reads them: who signed is kept, the shipper's account number is not
    assert [e.description for e in update.events][:3] == ["Shipment picked up", "Departing origin", ""]
    assert update.events[4].description == "Arrived at DHL facility in Barcelona - Spain"
    assert update.events[-1].description == "Shipment delivered CAMPAGNA"
    assert update.delivered_at == datetime(2009, 8, 31, 8, 9, tzinfo=UTC)  # 10:09 CEST in Milan
    # one call, the credentials inside the request body (XML Services has no token)
    assert proxy_request.call_count == 1
    assert proxy_request.call_args.kwargs["url"] == TRACKING_URL
    assert "<SiteID>client_id</SiteID>" in proxy_request.call_args.kwargs["data"]
    assert f"<AWBNumber>{NUMBER}</AWBNumber>" in proxy_request.call_args.kwargs["data"]


def test_dhl_express_source_maps_a_parcel_in_transit_with_its_estimate(
    source: DHLExpressSource, proxy_request: MagicMock
) -> None:
    proxy_request.return_value = recorded_answer("dhl_express_tracking_9053283201.xml")

    (update,) = source.track([TrackingRequest(carrier="dhl", tracking_number="9053283201")], now=NOW)

    assert update.status is S.IN_TRANSIT
    (picked_up,) = update.events
    # 09:42 in Kingston (DHL's "KINGSTON-JAM": Jamaica by its alpha-3 code, UTC-5 all year)
    assert (picked_up.occurred_at, picked_up.timezone) == (datetime(2021, 5, 5, 14, 42, tzinfo=UTC), "America/Jamaica")
    assert picked_up.location == "KINGSTON, JM"
    # the estimate is a date (karrio keeps no time): the end of that day in the latest checkpoint's zone
    assert update.estimated_delivery == datetime(2021, 5, 8, 4, 59, 59, tzinfo=UTC)
    assert update.delivered_at is None


def test_dhl_express_source_reads_a_failed_attempt_and_a_return(
    source: DHLExpressSource, proxy_request: MagicMock
) -> None:
    answer = recorded_answer().replace("<EventCode>WC</EventCode>", "<EventCode>NH</EventCode>")
    answer = answer.replace("<EventCode>OK</EventCode>", "<EventCode>RT</EventCode>")
    answer = answer.replace("Shipment delivered", "Returned to shipper")
    proxy_request.return_value = answer

    update = track(source)

    assert [e.status for e in update.events][-2:] == [S.ATTEMPT_FAILED, S.RETURNING_TO_SENDER]
    assert update.status is S.RETURNING_TO_SENDER  # karrio files RT under failed deliveries; the table decides
    assert update.delivered_at is None


def test_dhl_express_source_reports_an_unknown_number_as_not_found(
    source: DHLExpressSource, proxy_request: MagicMock
) -> None:
    proxy_request.return_value = recorded_answer("dhl_express_tracking_not_found.xml")

    update = track(source, "123456789")

    assert (update.found, update.status, update.events) == (False, S.UNKNOWN, ())
    assert update.messages == ("No Shipments Found for AWBNumber 123456789",)


@pytest.mark.parametrize(("answer", "raised"), DHL.transport_failures())
def test_dhl_express_source_raises_retryable_error_on_transport_failures(
    source: DHLExpressSource, proxy_request: MagicMock, answer: str | None, raised: Exception | None
) -> None:
    proxy_request.return_value = answer
    proxy_request.side_effect = raised

    with pytest.raises(RetryableError, match="dhl_express tracking failed"):
        track(source)


def test_dhl_express_source_raises_integration_error_when_dhl_refuses_the_credentials(
    source: DHLExpressSource, proxy_request: MagicMock
) -> None:
    proxy_request.return_value = recorded_answer("dhl_express_tracking_auth_error.xml")

    with pytest.raises(IntegrationError, match="Password") as raised:
        track(source)
    assert not isinstance(raised.value, RetryableError)


def test_get_carrier_source_dhl_express_without_credentials_raises_integration_error_naming_the_variables(
    monkeypatch: pytest.MonkeyPatch, proxy_request: MagicMock
) -> None:
    for name in ("DHL_EXPRESS_SITE_ID", "DHL_EXPRESS_PASSWORD", "DHL_EXPRESS_ACCOUNT_NUMBER"):
        monkeypatch.delenv(name, raising=False)
    dhl = get_carrier_source("dhl_express")

    with pytest.raises(IntegrationError, match=r"set DHL_EXPRESS_SITE_ID, DHL_EXPRESS_PASSWORD$"):
        dhl.track([TrackingRequest(carrier="dhl", tracking_number=NUMBER)], now=NOW)
    assert dhl.name == "dhl_express"
    proxy_request.assert_not_called()


def test_dhl_express_units_never_raise_on_an_unknown_code() -> None:
    assert units.event_status(code="ZZ", description="Something new", karrio="teleported") is S.UNKNOWN
    assert units.event_status(code=None, description=None, karrio=None) is S.UNKNOWN
    assert units.event_status(code=5, description=object(), karrio={}) is S.UNKNOWN
    assert units.event_status(code="ZZ", description="With delivery courier", karrio=None) is S.OUT_FOR_DELIVERY
    assert units.event_status(code="ZZ", description="Whatever", karrio="on_hold") is S.EXCEPTION


@pytest.mark.parametrize(
    ("text", "label", "zone"),
    [
        ("Barcelona - Spain ", "Barcelona, ES", "Europe/Madrid"),
        ("KINGSTON-JAM", "KINGSTON, JM", "America/Jamaica"),
        ("SPRINGFIELD GARDENS,NY-USA", "SPRINGFIELD GARDENS, NY, US", "America/New_York"),
        ("WINSTON-SALEM,NC-USA", "WINSTON-SALEM, NC, US", "America/New_York"),
        ("Hong Kong - Hong Kong ", "Hong Kong, HK", "Asia/Hong_Kong"),
        ("CINCINNATI HUB", "CINCINNATI HUB", None),
    ],
)
def test_dhl_express_mapping_reads_the_zone_of_a_service_area(text: str, label: str, zone: str | None) -> None:
    place = mapping.read_place(text)

    assert place is not None
    assert (place.label(), place.zone()) == (label, zone)
    assert mapping.read_place("  ") is None


def test_dhl_express_source_never_repeats_the_password_dhl_echoes_in_its_refusal(proxy_request: MagicMock) -> None:
    proxy_request.return_value = recorded_answer("dhl_express_tracking_auth_error.xml")  # DHL quotes 'testPwd'
    dhl = DHLExpressSource(DHLExpressSettings(site_id="site", password="testPwd"))

    with pytest.raises(IntegrationError) as raised:
        track(dhl)

    assert "testPwd" not in str(raised.value)
    assert "Value '****' with length '7'" in str(raised.value)


def test_dhl_express_source_reports_a_bad_address_as_an_exception(
    source: DHLExpressSource, proxy_request: MagicMock
) -> None:
    # the courier's checkpoint turned into a bad address, and no delivery after it
    answer = recorded_answer().replace("<EventCode>WC</EventCode>", "<EventCode>BA</EventCode>")
    delivery = answer.rindex("<ShipmentEvent>")
    proxy_request.return_value = answer[:delivery] + "</ShipmentInfo></AWBInfo></req:TrackingResponse>"

    update = track(source)

    assert update.status is S.EXCEPTION
    assert update.events[-1].substatus == "BA"
