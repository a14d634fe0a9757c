<?php
/**
 * Plugin Name:          Afterglow – Order Tracking
 * Plugin URI:           https://afterglow.app/
 * Description:          Branded order tracking for WooCommerce stores: a tracking page (shortcode and block), a "Track" action in My Account › Orders, and delivery updates from Afterglow.
 * Version:              0.1.0
 * Requires at least:    6.3
 * Requires PHP:         7.4
 * Requires Plugins:     woocommerce
 * WC requires at least: 8.2
 * WC tested up to:      10.3
 * Author:               Afterglow
 * License:              GPL-2.0-or-later
 * License URI:          https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:          afterglow
 * Domain Path:          /languages
 *
 * @package Afterglow
 */

defined( 'ABSPATH' ) || exit;

define( 'AFTERGLOW_VERSION', '0.1.0' );
define( 'AFTERGLOW_FILE', __FILE__ );
define( 'AFTERGLOW_DIR', __DIR__ );

require_once AFTERGLOW_DIR . '/includes/class-afterglow-widget.php';
require_once AFTERGLOW_DIR . '/includes/class-afterglow-my-account.php';
require_once AFTERGLOW_DIR . '/includes/class-afterglow-settings.php';

// Orders live in WooCommerce's custom order tables (HPOS) or in posts: the plugin reads orders only through
// WooCommerce's CRUD API (wc_get_order), so it works with both.
add_action(
	'before_woocommerce_init',
	static function () {
		if ( class_exists( \Automattic\WooCommerce\Utilities\FeaturesUtil::class ) ) {
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'custom_order_tables', AFTERGLOW_FILE, true );
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'cart_checkout_blocks', AFTERGLOW_FILE, true );
		}
	}
);

add_action( 'init', array( 'Afterglow_Widget', 'register' ) );
add_action( 'init', array( 'Afterglow_My_Account', 'register' ) );
add_action( 'admin_init', array( 'Afterglow_Settings', 'register' ) );
add_action( 'admin_menu', array( 'Afterglow_Settings', 'menu' ) );
add_action( 'admin_post_afterglow_open', array( 'Afterglow_Settings', 'open' ) );
