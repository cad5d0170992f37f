export * from './imports';
export * from './lexer';
export * from './literal';
export * from './parse-check';
export * from './syntax';
