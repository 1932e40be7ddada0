// Monthly monitored mass of a region (its outlets' stored day masses, substituted hours included).
(function () {
  var el = document.getElementById('trend');
  if (!el || !window.echarts) return;
  var data = JSON.parse(el.dataset.trend);
  var chart = echarts.init(el, null, { renderer: 'svg' });
  chart.setOption({
    animation: false,
    title: { text: '本年各月在线监测排放量（吨）', left: 'center', textStyle: { fontSize: 14, fontWeight: 'normal' } },
    grid: { left: 56, right: 24, top: 40, bottom: 32 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: data.months },
    yAxis: { type: 'value', name: '吨' },
    series: [{
      type: 'bar',
      data: data.tonnes,
      itemStyle: { color: '#1f5fa8' }
    }]
  });
  window.addEventListener('resize', function () { chart.resize(); });
})();
