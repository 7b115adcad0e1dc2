"""The lifecycle writes speak the upstream's XML as well as its JSON (reference §1.7, §12)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from starlette.applications import Starlette

from tests.lifecycle.conftest import CONFIGURED
from tests.lifecycle.kit import NO_CONTACT, Books, mutate, updated
from tests.resolvers.harness import Graph, service_on, service_settings
from upstream.enums import WireFormat


@pytest.fixture
async def xml_graph(sandbox: Starlette, tmp_path: Path) -> AsyncIterator[Graph]:
    settings = service_settings(tmp_path, white_labels=CONFIGURED, upstream_format=WireFormat.XML)
    async with service_on(sandbox, settings) as service:
        yield service


async def test_a_patch_with_contact_details_in_xml(xml_graph: Graph, books: Books) -> None:
    login = await books.crm.create_trader()
    given = {"login": login, "name": "Grace", "contactDetails": {"city": "Arlington"}}
    contact = {**NO_CONTACT, "email": "ada@example.com", "city": "Arlington"}
    assert await mutate(xml_graph, "updateTrader", given) == updated(
        login, name="Grace", contactDetails=contact
    )


async def test_partners_in_xml(xml_graph: Graph, books: Books) -> None:
    login = await books.crm.create_trader()
    given = {"login": login, "introducingBroker1": "ib-north"}
    assert await mutate(xml_graph, "attributeToPartners", given) == updated(
        login, partners=[{"partnerId": "ib-north"}]
    )
