export { initShellAnalyzer } from './parser';
export type { BashParser, ShellAnalyzerOptions } from './parser';
export { ShellAnalyzer } from './analyse';
export { SnippetCache } from './analysisCache';
export type { ShellAnalysis, ShellCommand, ShellRedirect } from './types';
export type { ShellPlace, ShellSnippet } from './snippet';
export type { ShellWord } from './words';
