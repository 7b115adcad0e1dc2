"""Wire samples (reference §4 and §3.13-3.14) and the records they must decode to."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from upstream.enums import (
    AccessRights,
    AccountType,
    IbCommissionsType,
    LimitedRiskStrategy,
    TotalMarginCalculationType,
)
from upstream.records import ContactDetails, Trader

TRADER_JSON: dict[str, object] = {
    "login": 9013206,
    "groupName": "retail-eu",
    "depositCurrency": "EUR",
    "name": "Ada",
    "lastName": "Lovelace",
    "description": "",
    "accessRights": "FULL_ACCESS",
    "accountType": "HEDGED",
    "balance": 123456789,
    "bonus": 1000,
    "nonWithdrawableBonus": 5,
    "cashEquity": 123456000,
    "equity": 123457000,
    "usedMargin": 2500,
    "freeMargin": 123454500,
    "minEquityDaily": 123400000,
    "maxEquityDaily": 123500000,
    "moneyDigits": 2,
    "leverageInCents": 10000,
    "maxLeverage": 50000,
    "contactDetails": {
        "email": "ada@example.com",
        "countryId": 826,
        "introducingBroker1": "partner-7",
    },
    "brokerName": "atlas-markets",
    "totalMarginCalculationType": "MAX",
    "isLimitedRisk": False,
    "limitedRisk": False,
    "limitedRiskMarginCalculationStrategy": "ACCORDING_TO_LEVERAGE",
    "sendOwnStatement": True,
    "sendStatementToBroker": False,
    "swapFree": False,
    "registrationTimestamp": 1680163530801,
    "lastUpdateTimestamp": 1680163530999,
    "lastConnectionTimestamp": 0,
    "introducingBroker": False,
    "introducingBrokerCommissionRate": 0.5,
    "pocketCommissionRate": 0,
    "pocketMarkupRate": 0,
    "defaultIntroducingBrokerCommissionRate": 0,
    "defaultPocketCommissionRate": 0,
    "defaultPocketMarkupRate": 0,
    "defaultRebateRate": 0,
    "defaultSplitRevenue": False,
    "splitRevenue": False,
    "frenchRisk": False,
    "defaultIbCommissionsType": "USD_PER_LOT",
    "ibCommissionsType": "USD_PER_MILLION_USD",
}

TRADER_XML = b"""<?xml version='1.0' encoding='utf-8'?>
<trader><login>9013206</login><groupName>retail-eu</groupName><depositCurrency>EUR</depositCurrency>
<name>Ada</name><lastName>Lovelace</lastName><description></description>
<accessRights>FULL_ACCESS</accessRights><accountType>HEDGED</accountType>
<balance>123456789</balance><bonus>1000</bonus><nonWithdrawableBonus>5</nonWithdrawableBonus>
<cashEquity>123456000</cashEquity><equity>123457000</equity><usedMargin>2500</usedMargin>
<freeMargin>123454500</freeMargin><minEquityDaily>123400000</minEquityDaily>
<maxEquityDaily>123500000</maxEquityDaily><moneyDigits>2</moneyDigits>
<leverageInCents>10000</leverageInCents><maxLeverage>50000</maxLeverage>
<contactDetails><email>ada@example.com</email><countryId>826</countryId>
<introducingBroker1>partner-7</introducingBroker1></contactDetails>
<brokerName>atlas-markets</brokerName><totalMarginCalculationType>MAX</totalMarginCalculationType>
<isLimitedRisk>false</isLimitedRisk><limitedRisk>false</limitedRisk>
<limitedRiskMarginCalculationStrategy>ACCORDING_TO_LEVERAGE</limitedRiskMarginCalculationStrategy>
<sendOwnStatement>true</sendOwnStatement><sendStatementToBroker>false</sendStatementToBroker>
<swapFree>false</swapFree><registrationTimestamp>1680163530801</registrationTimestamp>
<lastUpdateTimestamp>1680163530999</lastUpdateTimestamp>
<lastConnectionTimestamp>0</lastConnectionTimestamp><introducingBroker>false</introducingBroker>
<introducingBrokerCommissionRate>0.5</introducingBrokerCommissionRate>
<pocketCommissionRate>0</pocketCommissionRate><pocketMarkupRate>0</pocketMarkupRate>
<defaultIntroducingBrokerCommissionRate>0</defaultIntroducingBrokerCommissionRate>
<defaultPocketCommissionRate>0</defaultPocketCommissionRate>
<defaultPocketMarkupRate>0</defaultPocketMarkupRate><defaultRebateRate>0</defaultRebateRate>
<defaultSplitRevenue>false</defaultSplitRevenue><splitRevenue>false</splitRevenue>
<frenchRisk>false</frenchRisk><defaultIbCommissionsType>USD_PER_LOT</defaultIbCommissionsType>
<ibCommissionsType>USD_PER_MILLION_USD</ibCommissionsType></trader>"""

ZERO = Decimal(0)

TRADER = Trader(
    login=9013206,
    group_name="retail-eu",
    deposit_currency="EUR",
    access_rights=AccessRights.FULL_ACCESS,
    account_type=AccountType.HEDGED,
    money_digits=2,
    balance=Decimal("1234567.89"),
    bonus=Decimal("10.00"),
    non_withdrawable_bonus=Decimal("0.05"),
    equity=Decimal("1234570.00"),
    used_margin=Decimal("25.00"),
    free_margin=Decimal("1234545.00"),
    cash_equity=Decimal("1234560.00"),
    min_equity_daily=Decimal("1234000.00"),
    max_equity_daily=Decimal("1235000.00"),
    leverage=Decimal(100),
    max_leverage=Decimal(500),
    contact_details=ContactDetails(
        email="ada@example.com", country_id=826, introducing_broker1="partner-7"
    ),
    broker_name="atlas-markets",
    name="Ada",
    last_name="Lovelace",
    description="",
    total_margin_calculation_type=TotalMarginCalculationType.MAX,
    is_limited_risk=False,
    limited_risk_margin_calculation_strategy=LimitedRiskStrategy.ACCORDING_TO_LEVERAGE,
    send_own_statement=True,
    send_statement_to_broker=False,
    swap_free=False,
    registration_timestamp=datetime(2023, 3, 30, 8, 5, 30, 801000, tzinfo=UTC),
    last_update_timestamp=datetime(2023, 3, 30, 8, 5, 30, 999000, tzinfo=UTC),
    last_connection_timestamp=None,
    introducing_broker=False,
    introducing_broker_commission_rate=Decimal("0.5"),
    pocket_commission_rate=ZERO,
    pocket_markup_rate=ZERO,
    default_introducing_broker_commission_rate=ZERO,
    default_pocket_commission_rate=ZERO,
    default_pocket_markup_rate=ZERO,
    default_rebate_rate=ZERO,
    default_split_revenue=False,
    split_revenue=False,
    french_risk=False,
    default_ib_commissions_type=IbCommissionsType.USD_PER_LOT,
    ib_commissions_type=IbCommissionsType.USD_PER_MILLION_USD,
)

OPEN_HEADER = (
    "login,positionId,openTimestamp,entryPrice,direction,volume,symbol,commission,swap,"
    "bookType,stake,spreadBetting,usedMargin"
)
OPEN_ROW = (
    "9013206,4325443,2020-08-28T05:35:37.682,1.18657,BUY,1000.00,EURUSD,1.69,2.54,BOOK_B,0.00,"
    "false,0.01"
)
CLOSED_HEADER = (
    "login,positionId,dealId,openTimestamp,closeTimestamp,entryPrice,closePrice,direction,"
    "volume,symbol,commission,swap,pnl,depositConversionRate,usdConversionRate,bookType,stake,"
    "spreadBetting"
)
CLOSED_ROW = (
    "9013197,13313,5690189,2018-08-30T12:15:29.154,2020-01-02T09:01:54.748,1.32315,1.32214,BUY,"
    "1000.00,GBPUSD,0.00,25.83,44.79,0.96911,1.32214,BOOK_B,0.00,false"
)
