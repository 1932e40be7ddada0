// Hourly means of one factor: points coloured by validity, audited hours ringed, the limit as a line.
(function () {
  var el = document.getElementById('chart');
  if (!el || !window.echarts) return;
  var data = JSON.parse(el.dataset.chart);
  var colours = { valid: '#2e7d32', suspect: '#ef8f00', invalid: '#c62828', stopped: '#8a94a0' };
  var words = { valid: '有效', suspect: '可疑', invalid: '无效', stopped: '停运' };
  var chart = echarts.init(el, null, { renderer: 'svg' });
  chart.setOption({
    animation: false,
    title: { text: el.dataset.title, left: 'center', textStyle: { fontSize: 14, fontWeight: 'normal' } },
    grid: { left: 56, right: 24, top: 40, bottom: 56 },
    tooltip: {
      trigger: 'axis',
      formatter: function (items) {
        var p = data.points[items[0].dataIndex];
        return p.t + '<br>' + (p.v === null ? '无数据' : p.v + ' ' + data.unit) + '<br>' + words[p.s] +
          (p.why ? '（' + p.why + '）' : '') + (p.a ? '，已审核' : '') + (p.m ? '，排放量含补遗' : '');
      }
    },
    xAxis: { type: 'category', data: data.points.map(function (p) { return p.t; }), axisLabel: { interval: 'auto' } },
    yAxis: { type: 'value', name: data.unit, scale: true },
    dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }],
    series: [{
      type: 'line',
      connectNulls: false,
      symbolSize: 7,
      lineStyle: { color: '#6b7785', width: 1 },
      data: data.points.map(function (p) {
        return {
          value: p.v,
          itemStyle: { color: colours[p.s], borderColor: p.a ? '#1565c0' : colours[p.s], borderWidth: p.a ? 3 : 1 }
        };
      }),
      markLine: data.limit === null ? undefined : {
        symbol: 'none',
        lineStyle: { color: '#c62828', type: 'dashed' },
        label: { formatter: '限值 ' + data.limit },
        data: [{ yAxis: data.limit }]
      }
    }]
  });
  window.addEventListener('resize', function () { chart.resize(); });
})();
