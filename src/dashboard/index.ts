export { createDashboardApp, startDashboard } from './server.js';
export type { DashboardOptions, RunningDashboard } from './server.js';
export { StudyData } from './study-data.js';
export type { StudySnapshot } from './study-data.js';
export { CHART_KINDS, buildChart, parseChartKind } from './charts/build-chart.js';
export type { ChartKind, ChartRequest } from './charts/build-chart.js';
export type { ChartOption, ChartResult } from './charts/chart-common.js';
export { renderChartFile, chartFileFormat } from './render/render-chart-file.js';
export type { ChartFileFormat } from './render/render-chart-file.js';
