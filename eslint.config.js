import tseslint from 'typescript-eslint';
import rooms from './eslint-rules/rooms.js';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'web/dist/', 'data/', '.exp/', '.tmp-*/**', '.tmp-*', 'test-artifacts/'] },
  ...tseslint.configs.recommended,
  {
    plugins: { avlog: rooms },
    rules: {
      'avlog/rooms-downhill': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
);
