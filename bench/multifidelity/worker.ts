/** Worker thread of bench:multifidelity: runs the jobs it is sent (see ../shared/job-pool.ts). */
import { serveJobs } from '../shared/job-worker.js';
import { runMethodJob } from './jobs.js';

serveJobs(runMethodJob);
