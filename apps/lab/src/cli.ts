#!/usr/bin/env node
import { runCli } from '@vmars/cli-support';
import { main } from './main.js';

await runCli(main);
