export { freePort } from '../../common/platform/server/http';
