/** Entry of the MCOT CPU worker (see workerSolver.ts). */
import { serveMcotWorker, type MessageEndpoint } from './workerSolver';

serveMcotWorker(self as unknown as MessageEndpoint);
