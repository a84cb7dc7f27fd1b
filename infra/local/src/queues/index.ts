export * from './admin';
export * from './admin-client';
export * from './queue';
export * from './registry';
export * from './sqs-event';
export * from './store';
