import 'reflect-metadata';
import { runSubgraph } from '../../common/server/run-subgraph';
import { infrastructureSubgraph } from './infrastructure.subgraph';

void runSubgraph(infrastructureSubgraph);
