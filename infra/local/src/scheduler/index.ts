export * from './expression';
export * from './scheduler';
