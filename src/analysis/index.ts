export { studyImportances } from './study-importances.js';
export type { StudyImportanceOptions, StudyImportances } from './study-importances.js';
export type { ParameterImportance } from './importance.js';
