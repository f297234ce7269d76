export {
  DEFAULT_TABLE_ATTRS,
  OPTUNA_STATE_NAMES,
  TABLE_ATTRS,
  buildTrialsTable,
} from './trials-table.js';
export type { TableAttr, TableCell, TrialsTable, TrialsTableOptions } from './trials-table.js';
export { pandasDatetime, pandasTimedelta, trialsTableCsv, trialsTableJsonl } from './table-text.js';
