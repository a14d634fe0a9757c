<?php
/**
 * Runs the plugin's shortcode outside WordPress, with the few core functions it calls defined the way WordPress
 * defines them, and prints the markup: php render_shortcode.php HOME_URL APP_URL LOCALE [key=value ...]
 */

define( 'ABSPATH', __DIR__ . '/' );
$GLOBALS['afterglow_test'] = array( 'home' => $argv[1], 'app' => $argv[2], 'locale' => $argv[3], 'scripts' => array() );

function add_action( ...$args ) {}
function add_filter( ...$args ) {}
function add_shortcode( $tag, $callback ) { $GLOBALS['afterglow_test']['shortcodes'][ $tag ] = $callback; }
function shortcode_atts( $pairs, $atts, $shortcode = '' ) {
	$out = array();
	foreach ( $pairs as $name => $default ) {
		$out[ $name ] = array_key_exists( $name, $atts ) ? $atts[ $name ] : $default;
	}
	return $out;
}
function esc_attr( $text ) { return htmlspecialchars( (string) $text, ENT_QUOTES, 'UTF-8' ); }
function wp_register_script( $handle, $src ) { $GLOBALS['afterglow_test']['scripts'][ $handle ] = $src; }
function wp_enqueue_script( $handle ) { $GLOBALS['afterglow_test']['enqueued'][] = $handle; }
function determine_locale() { return $GLOBALS['afterglow_test']['locale']; }
function get_option( $name, $default = false ) { return 'afterglow_app_url' === $name ? $GLOBALS['afterglow_test']['app'] : $default; }
function home_url() { return $GLOBALS['afterglow_test']['home']; }
function wp_parse_url( $url, $component = -1 ) { return parse_url( $url, $component ); }
function untrailingslashit( $value ) { return rtrim( $value, '/\\' ); }

require __DIR__ . '/../../frontend/woocommerce-plugin/afterglow/afterglow.php';

Afterglow_Widget::register();
$atts = array();
foreach ( array_slice( $argv, 4 ) as $pair ) {
	list( $key, $value ) = explode( '=', $pair, 2 );
	$atts[ $key ] = $value;
}
$markup = call_user_func( $GLOBALS['afterglow_test']['shortcodes']['afterglow_tracking'], $atts );
$script = $GLOBALS['afterglow_test']['scripts'][ Afterglow_Widget::HANDLE ];
echo json_encode( array( 'markup' => $markup, 'script' => $script, 'enqueued' => $GLOBALS['afterglow_test']['enqueued'] ) );
