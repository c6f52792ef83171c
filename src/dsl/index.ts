// What users import from 'atmn'. Config builders are added by the foundation work.
export * from './scenario.ts';
