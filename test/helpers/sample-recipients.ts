/**
 * The recipients of the four real age keys in the sops samples (test/fixtures/secrets): tests
 * name them for the part each key plays (the owner, a host, a retired key).
 */
export const SAMPLE_RECIPIENTS = [
  'age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw',
  'age1a8pk4akrdamj7nvqy3zywgtny8dxz7t5xzu7u8v9mhrayp9freqsqatyrs',
  'age1je6kjhzuhdjy3fqptpttxjh5k8q46vygzlgtpuq3030c947pc5tqz9dqvr',
  'age19j4d6v9j7rx5fs629fu387qz4zmlpsqjexa4s08tkfrrmfdl5cwqjlaupd',
] as const;
