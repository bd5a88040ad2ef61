export { freePort } from '../../common/server/http';
