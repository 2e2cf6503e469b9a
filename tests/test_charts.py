from officer_console.reports import charts


def test_bar_chart_is_an_accessible_svg_with_escaped_labels():
    svg = charts.bar_chart(
        chart_id="c1",
        title="기관별 <절감>",
        labels=["<script>alert(1)</script>", "나 주민센터", "다"],
        values=[120, None, 30],
        unit="매",
        reference=charts.Reference(100, "기준"),
    )
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="c1"')
    assert 'role="img" aria-labelledby="c1-title c1-desc"' in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert '<title id="c1-title">기관별 &lt;절감&gt;</title>' in svg
    # None is a gap, not a zero bar: two bars for three labels.
    assert svg.count("<rect") == 2
    assert "가장 높은 값 &lt;script&gt;alert(1)&lt;/script&gt; 120 매" in svg and "기준선 기준 100 매" in svg


def test_empty_chart_says_there_is_no_data():
    svg = charts.bar_chart(chart_id="c2", title="t", labels=[], values=[], unit="분")
    assert "자료가 없습니다" in svg and "<rect" not in svg


def test_axis_maximum_is_a_round_number():
    assert [charts.nice_ceiling(v) for v in (0, 0.7, 7, 19, 230, 4100)] == [1, 1, 10, 20, 250, 5000]


def test_axis_ticks_are_not_rounded_into_wrong_numbers():
    svg = charts.bar_chart(chart_id="c3", title="t", labels=["a"], values=[9], unit="매")
    ticks = [t.split(">")[-1] for t in svg.split("</text>") if 'text-anchor="end">' in t]
    assert ticks == ["0", "2.5", "5", "7.5", "10"]
