"""KPIFrame: a long KPI result that renders formatted, and stays a DataFrame."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

from leadkpi import KPI, compare
from leadkpi.kpis.targets import add_targets
from leadkpi.present.display import KPIFrame, as_kpi_frame

NAN = np.nan
NBSP = "\xa0"


@pytest.fixture
def result() -> pd.DataFrame:
    """An engine result in the full contract: one month, two channels."""
    frame = pd.DataFrame(
        {
            "month": pd.PeriodIndex(["2025-02"] * 7, freq="M"),
            "channel": ["paid_search"] * 4 + ["events"] * 3,
            "kpi": [
                "leads",
                "lead_conversion_rate",
                "cost_per_lead",
                "time_to_reply",
                "roas",
                "ctr",
                "cac",
            ],
            "value": [1234.0, 0.05, 1234.5, 8100.0, 10.309, 0.25, NAN],
            "numerator": [1234.0, 10, 246900, 810000, 1000, 3, NAN],
            "denominator": [NAN, 200, 200, 100, 97, 12, NAN],
            "unit": [
                "count",
                "fraction",
                "currency",
                "duration",
                "multiple",
                "fraction",
                "currency",
            ],
            "better": ["higher", "higher", "lower", "higher", "higher", "higher"]
            + ["lower"],
            "mode": "period",
            "count_by": "leads",
            "n": [1234, 200, 200, 100, 97, 12, NAN],
            "ci_low": [NAN, 0.041, 1100.0, NAN, 8.2, 0.089, NAN],
            "ci_high": [NAN, 0.063, 1390.0, NAN, 12.7, 0.532, NAN],
            "reason": [None] * 6 + ["needs the customers table"],
        }
    )
    frame["small_sample"] = frame["n"] < 30
    columns = [*frame.columns[:-1]]
    columns.insert(columns.index("n") + 1, "small_sample")
    return frame[columns]


EXPECTED = {
    "en": {
        "Month": ["February 2025"] * 7,
        "Channel": ["Paid search"] * 4 + ["Events & webinars"] * 3,
        "KPI": [
            "Leads generated",
            "Lead conversion rate",
            "Cost per lead",
            "time_to_reply",  # not a built-in KPI: shown by its id
            "Return on ad spend (ROAS)",
            "Click-through rate",
            "Customer acquisition cost (CAC)",
        ],
        "Value": ["1,234", "5.0%", "€1,234.50", "2 h 15 min", "10.31×", "25.0%*", "–"],
        "95% interval": [
            "",
            "4.1%–6.3%",
            "€1,100.00–€1,390.00",
            "",
            "8.20×–12.70×",
            "8.9%–53.2%",
            "",
        ],
        "n": ["1,234", "200", "200", "100", "97", "12", ""],
        "Reason": [""] * 6 + ["needs the customers table"],
    },
    "es": {
        "Mes": ["febrero de 2025"] * 7,
        "Canal": ["Búsqueda de pago"] * 4 + ["Eventos y seminarios web"] * 3,
        "KPI": [
            "Leads generados",
            "Tasa de conversión de leads",
            "Coste por lead",
            "time_to_reply",
            "Retorno de la inversión publicitaria (ROAS)",
            "CTR",
            "Coste de adquisición (CAC)",
        ],
        "Valor": [
            "1.234",
            f"5,0{NBSP}%",
            f"1.234,50{NBSP}€",
            "2 h 15 min",
            "10,31×",
            f"25,0{NBSP}%*",
            "–",
        ],
        "Intervalo del 95 %": [
            "",
            f"4,1{NBSP}%–6,3{NBSP}%",
            f"1.100,00{NBSP}€–1.390,00{NBSP}€",
            "",
            "8,20×–12,70×",
            f"8,9{NBSP}%–53,2{NBSP}%",
            "",
        ],
        "n": ["1.234", "200", "200", "100", "97", "12", ""],
        "Motivo": [""] * 6 + ["needs the customers table"],
    },
}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_formatted_values_by_unit_and_language(result, lang):
    shown = as_kpi_frame(result, lang=lang, currency="EUR").formatted().data
    pd.testing.assert_frame_equal(shown, pd.DataFrame(EXPECTED[lang], dtype=object))


def test_html_shows_formatted_numbers_and_legends(result):
    html_en = as_kpi_frame(result)._repr_html_()
    assert "€1,234.50" in html_en and "4.1%–6.3%" in html_en and "2 h 15 min" in html_en
    assert "fewer than 30 observations" in html_en
    assert "1234.5" not in html_en  # no raw numbers
    html_es = as_kpi_frame(result, lang="es_ES")._repr_html_()
    assert f"1.234,50{NBSP}€" in html_es and "Tasa de conversión de leads" in html_es
    assert "menos de 30 observaciones" in html_es


def test_custom_kpi_names_from_objects_or_mappings(result):
    custom = KPI(
        "time_to_reply",
        {"en": "Time to reply", "es": "Tiempo de respuesta"},
        {"en": "", "es": ""},
        "engagement / sessions",
        "duration",
        "higher",
        ("engagement",),
        lambda **m: m["engagement"],
    )
    frame = as_kpi_frame(result, lang="es", names={custom.id: custom})
    assert frame.formatted().data.loc[3, "KPI"] == "Tiempo de respuesta"
    back = pickle.loads(pickle.dumps(frame))  # names kept as data, not the formula
    assert isinstance(back, KPIFrame) and back.names == {
        "time_to_reply": {"en": "Time to reply", "es": "Tiempo de respuesta"}
    }
    plain = as_kpi_frame(result, names={"leads": "All leads"}).formatted().data
    assert plain.loc[0, "KPI"] == "All leads"


def test_compared_and_targeted_frames_show_change_and_status():
    months = pd.PeriodIndex(["2025-01", "2025-02"], freq="M")
    result = as_kpi_frame(
        pd.DataFrame(
            {
                "month": months,
                "kpi": "leads",
                "value": [100.0, 120.0],
                "numerator": [100.0, 120.0],
                "denominator": NAN,
                "unit": "count",
                "better": "higher",
                "mode": "period",
                "reason": None,
            }
        ),
        lang="es",
    )
    judged = add_targets(compare(result), {"leads": 110})
    assert isinstance(judged, KPIFrame) and judged.lang == "es"
    styler = judged.formatted()
    row = styler.data.iloc[1]
    assert row["Anterior"] == "100" and row["Variación"] == f"+20,0{NBSP}%"
    assert row["Objetivo"] == "110" and row["Estado"] == "cumplido"
    html = styler.to_html()
    assert "#8a8a8a" in html  # 100 → 120 is within noise (z = 1.35)
    assert "en gris: dentro del ruido" in html
    assert "al 90 %" in compare(result, level=0.9).formatted().to_html()


def test_pandas_operations_still_work(result, tmp_path):
    frame = as_kpi_frame(result, lang="es")
    # filters, assign and copy keep the type and the settings
    kept = frame[frame["channel"] == "events"].assign(x=1).copy()
    assert isinstance(kept, KPIFrame) and kept.lang == "es"
    # pivot: a plain wide table, rendered by pandas
    wide = frame.pivot(index="channel", columns="kpi", values="value")
    assert wide.loc["paid_search", "leads"] == 1234
    assert "<table" in wide._repr_html_() and "1,234" not in wide._repr_html_()
    # groupby().sum(): numbers summed, layout gone, pandas' own rendering
    summed = frame.groupby("channel")[["value", "numerator"]].sum()
    assert summed.loc["events", "numerator"] == 1003
    assert summed._repr_html_() == pd.DataFrame(summed)._repr_html_()
    # merge
    merged = frame.merge(
        pd.DataFrame({"channel": ["events"], "budget": [5.0]}), on="channel"
    )
    assert len(merged) == 3 and merged["budget"].eq(5.0).all()
    assert "budget" in merged.formatted().data.columns  # extra columns shown as is
    # parquet round trip gives the same data
    frame.to_parquet(tmp_path / "r.parquet")
    back = pd.read_parquet(tmp_path / "r.parquet")
    pd.testing.assert_frame_equal(back, pd.DataFrame(result), check_dtype=False)
    # assert_frame_equal accepts it, against itself and against a plain frame
    pd.testing.assert_frame_equal(frame, frame.copy())
    pd.testing.assert_frame_equal(pd.DataFrame(frame), result)


def test_caller_frame_unchanged_and_layout_checked(result):
    before = result.copy()
    frame = as_kpi_frame(result)
    frame["value"] = 0.0
    pd.testing.assert_frame_equal(result, before)
    with pytest.raises(ValueError, match=r"no \['unit'\] column"):
        frame.drop(columns="unit").formatted()
    assert "<table" in frame.drop(columns="unit")._repr_html_()
    # a project locale without report texts displays in English; asking for one
    # explicitly is an error
    assert as_kpi_frame(result, lang="de_DE").lang == "en"
    with pytest.raises(ValueError, match="unsupported language 'fr'"):
        frame.formatted(lang="fr")


def test_long_results_show_their_first_rows(result):
    many = as_kpi_frame(pd.concat([result] * 20, ignore_index=True))
    with pd.option_context("display.max_rows", 10):
        html = many._repr_html_()
    assert html.count("<tr>") == 11  # header + 10 rows
    assert "First 10 of 140 rows." in html
