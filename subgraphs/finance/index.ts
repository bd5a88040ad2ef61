import 'reflect-metadata';
import { runSubgraph } from '../../common/server/run-subgraph';
import { financeSubgraph } from './finance.subgraph';

void runSubgraph(financeSubgraph);
