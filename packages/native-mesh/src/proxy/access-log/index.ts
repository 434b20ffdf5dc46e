export { AccessLog, type AccessLogSink } from './access-log.js';
export { accessLogRecord, formatJson, formatText, type AccessLogRecord } from './format.js';
