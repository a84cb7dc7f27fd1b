export * from './api';
export * from './demo-agency';
