<?php
/**
 * Builds and signs the plugin's login-link request with its own code, outside WordPress:
 * php sign_login_request.php STORE TIMESTAMP SECRET  ->  {"body": ..., "signature": ...}
 */

define( 'ABSPATH', __DIR__ . '/' );

function wp_json_encode( $data ) { return json_encode( $data ); } // WordPress's wrapper, default flags.

require __DIR__ . '/../../frontend/woocommerce-plugin/afterglow/includes/class-afterglow-settings.php';

$body = Afterglow_Settings::login_request( $argv[1], (int) $argv[2] );
echo json_encode( array( 'body' => $body, 'signature' => Afterglow_Settings::sign( $body, $argv[3] ) ) );
